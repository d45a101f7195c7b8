using System.Diagnostics;
using OpenTelemetry.Logs;
using Threadline.Tracer.Export;

namespace Threadline.Tracer.Tests.Support;

/// <summary>A tracer whose spans and logs are collected in memory.</summary>
public sealed class TracerHarness : IDisposable
{
    private TracerHarness(Action<ThreadlineOptions>? configure, IReadOnlyDictionary<string, string>? env)
    {
        Options = new ThreadlineOptions { FlushBudget = TimeSpan.FromSeconds(5) };
        configure?.Invoke(Options);
        var targets = new ExportTargets { Traces = _ => Spans, Logs = _ => Logs };
        Tracer = new ThreadlineTracer(Options, targets, name => env is not null && env.TryGetValue(name, out var v) ? v : null);
    }

    private readonly long _faultsAtStart = Threadline.Tracer.Diagnostics.Guard.Faults;

    public ThreadlineOptions Options { get; }

    /// <summary>No tracer hook failed (and was silently swallowed) since the harness was created.</summary>
    public void AssertNoHookFailed() => Assert.Equal(_faultsAtStart, Threadline.Tracer.Diagnostics.Guard.Faults);

    public ThreadlineTracer Tracer { get; }

    public CollectingExporter<Activity> Spans { get; } = new();

    public CollectingExporter<LogRecord> Logs { get; } = new();

    public static TracerHarness Create(Action<ThreadlineOptions>? configure = null, IReadOnlyDictionary<string, string>? env = null) =>
        new(configure, env);

    public Activity Invocation => Spans.Items.Single(a => a.GetTagItem("faas.invocation_id") is not null);

    public IEnumerable<Activity> Children => Spans.Items.Where(a => a.GetTagItem("faas.invocation_id") is null);

    public void Dispose() => Tracer.Dispose();
}
