using Threadline.Tracer;

namespace SampleFunction;

public sealed record OrderPlaced(string OrderId, string Customer, decimal Amount);

public sealed record OrderAccepted(string OrderId, string Status, decimal Total);

/// <summary>Handler string: <c>SampleFunction::SampleFunction.Function::Handler</c>.</summary>
public class Function
{
    // Touched before any AWS client is created, so the tracer's hooks are in place for them.
    private static readonly ThreadlineTracer Tracer = ThreadlineTracer.Default;

    // On AWS the context is Amazon.Lambda.Core's ILambdaContext. The tracer reads the context by property name, so
    // the sample takes any object and needs no Amazon.Lambda package.
    public Task<OrderAccepted> Handler(OrderPlaced input, object context) =>
        Tracer.InvokeAsync(input, context, HandleAsync);

    private static Task<OrderAccepted> HandleAsync(OrderPlaced input, object context)
    {
        Console.WriteLine($"accepting order {input.OrderId} for {input.Customer}");
        return Task.FromResult(new OrderAccepted(input.OrderId, "accepted", input.Amount * 2));
    }
}
