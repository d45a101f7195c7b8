using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Threadline.Tracer.Export;

namespace Threadline.Tracer.Benchmarks.Support;

public static class Tracers
{
    /// <summary>The Threadline tracer with its real pipeline, exporting nowhere.</summary>
    public static ThreadlineTracer Threadline() => new(
        new ThreadlineOptions { CaptureEnvironment = false },
        new ExportTargets { Traces = _ => new DiscardExporter<Activity>(), Logs = _ => new DiscardExporter<LogRecord>() },
        _ => null);

    /// <summary>
    /// The plain OpenTelemetry SDK: one source, the same kind of exporter, behind a batch processor, or with
    /// <paramref name="exportWhenEnded"/> a simple processor that exports each span as it ends (nothing left to flush).
    /// </summary>
    public static TracerProvider PlainOpenTelemetry(string source, Action<TracerProviderBuilder>? configure = null, bool exportWhenEnded = false)
    {
        var exporter = new DiscardExporter<Activity>();
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddSource(source)
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(exportWhenEnded ? new SimpleActivityExportProcessor(exporter) : new BatchActivityExportProcessor(exporter));
        configure?.Invoke(builder);
        return builder.Build();
    }
}
