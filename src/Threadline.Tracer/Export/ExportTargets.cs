using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;

namespace Threadline.Tracer.Export;

/// <summary>Where spans and logs go. The default is the OTLP/HTTP protobuf exporter; tests substitute collectors.</summary>
internal sealed class ExportTargets
{
    public static readonly ExportTargets Otlp = new();

    public Func<ThreadlineOptions, BaseExporter<Activity>>? Traces { get; init; }

    public Func<ThreadlineOptions, BaseExporter<LogRecord>>? Logs { get; init; }

    // The OTLP exporters catch their own faults (and need the provider's resource, so they are not wrapped);
    // any other exporter is guarded: a throw on the export thread would end the process.
    public BaseExporter<Activity> CreateTraceExporter(ThreadlineOptions options) =>
        Traces is null ? new OtlpTraceExporter(OtlpOptions(options, "v1/traces")) : new GuardedExporter<Activity>(Traces(options));

    public BaseExporter<LogRecord> CreateLogExporter(ThreadlineOptions options) =>
        Logs is null ? new OtlpLogExporter(OtlpOptions(options, "v1/logs")) : new GuardedExporter<LogRecord>(Logs(options));

    internal static OtlpExporterOptions OtlpOptions(ThreadlineOptions options, string signalPath)
    {
        var baseUri = options.Endpoint.AbsoluteUri.TrimEnd('/') + "/";
        return new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.HttpProtobuf,
            Endpoint = new Uri(new Uri(baseUri), signalPath),
            Headers = options.Token is null ? null : $"Authorization=Bearer {options.Token}",
            // The exporter's own request timeout: a hanging endpoint must not hold the export thread for long.
            TimeoutMilliseconds = (int)Math.Clamp(options.FlushBudget.TotalMilliseconds * 4, 1000, 10_000),
        };
    }
}
