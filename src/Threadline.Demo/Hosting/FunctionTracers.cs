using System.Collections.Concurrent;
using Threadline.Sandbox.Functions;
using Threadline.Tracer;

namespace Threadline.Demo.Hosting;

/// <summary>
/// Applies the Threadline tracer to every hosted function as a user wraps a handler: one tracer per execution
/// environment (so its cold-start flag is the environment's), with the function's own identity, exporting to
/// the Threadline server. Disposing shuts every tracer's export pipeline down.
/// </summary>
public sealed class FunctionTracers(Uri otlpEndpoint, TimeSpan flushBudget, string? ingestToken = null) : IDisposable
{
    private readonly ConcurrentBag<ThreadlineTracer> _tracers = [];

    public FunctionHandler Wrap(FunctionHandler handler, FunctionVersionInfo function)
    {
        var tracer = ThreadlineTracer.Create(new ThreadlineOptions
        {
            FunctionName = function.Name,
            FunctionVersion = function.Version,
            MemorySizeMb = function.Definition.MemoryMb,
            Endpoint = otlpEndpoint,
            Token = ingestToken,
            FlushBudget = flushBudget,
        });
        _tracers.Add(tracer);
        return (input, context) => tracer.InvokeAsync(input, context, (e, c) => handler(e, c));
    }

    public void Dispose()
    {
        foreach (var tracer in _tracers)
            tracer.Dispose();
    }
}
