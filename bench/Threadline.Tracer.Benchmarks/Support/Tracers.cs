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

    /// <summary>The plain OpenTelemetry SDK: one source, batch processor, same kind of exporter.</summary>
    public static TracerProvider PlainOpenTelemetry(string source, Action<TracerProviderBuilder>? configure = null)
    {
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddSource(source)
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(new BatchActivityExportProcessor(new DiscardExporter<Activity>()));
        configure?.Invoke(builder);
        return builder.Build();
    }
}
