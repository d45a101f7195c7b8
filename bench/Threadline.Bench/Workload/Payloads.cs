using System.Globalization;
using System.Text;

namespace Threadline.Bench.Workload;

/// <summary>Event, response and message bodies shaped like a shop's: a few hundred bytes to a couple of KB of JSON.</summary>
internal static class Payloads
{
    private static readonly string[] Tiers = ["bronze", "silver", "gold", "platinum"];
    private static readonly string[] Skus = ["SKU-1001", "SKU-1002", "SKU-2040", "SKU-3311", "SKU-4102", "SKU-5555", "SKU-7001", "SKU-9090"];

    public static string Order(Random random, string orderId)
    {
        var text = new StringBuilder(512);
        text.Append(CultureInfo.InvariantCulture, $"{{\"orderId\":\"{orderId}\",\"customer\":{{\"id\":\"c-{random.Next(100_000)}\",\"tier\":\"{Tiers[random.Next(Tiers.Length)]}\",\"email\":\"[scrubbed]\"}},\"items\":[");
        var items = random.Next(1, 9);
        for (var i = 0; i < items; i++)
        {
            if (i > 0)
                text.Append(',');
            text.Append(CultureInfo.InvariantCulture, $"{{\"sku\":\"{Skus[random.Next(Skus.Length)]}\",\"qty\":{random.Next(1, 5)},\"price\":{random.Next(100, 20_000) / 100.0:0.00},\"gift\":{(random.Next(10) == 0 ? "true" : "false")}}}");
        }
        text.Append(CultureInfo.InvariantCulture, $"],\"currency\":\"EUR\",\"channel\":\"web\",\"requestedAt\":\"2026-11-26T06:{random.Next(60):00}:{random.Next(60):00}Z\"}}");
        return text.ToString();
    }

    public static string Response(Random random, string orderId) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"statusCode\":200,\"body\":{{\"orderId\":\"{orderId}\",\"status\":\"accepted\",\"etaDays\":{random.Next(1, 6)}}}}}");

    public static string Message(Random random, string orderId) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"OrderUpdated\",\"orderId\":\"{orderId}\",\"version\":{random.Next(1, 20)},\"total\":{random.Next(100, 90_000) / 100.0:0.00}}}");

    public const string StackTrace =
        "   at Shop.Payments.Charge(Order order) in /src/Payments/Charge.cs:line 88\n" +
        "   at Shop.Payments.Handler.HandleAsync(SQSEvent input, ILambdaContext context) in /src/Payments/Handler.cs:line 41\n" +
        "   at Threadline.Tracer.ThreadlineTracer.InvokeAsync[TInput,TOutput](TInput input, ILambdaContext context)";
}
