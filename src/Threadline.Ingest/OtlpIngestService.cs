using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize;
using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Telemetry;

namespace Threadline.Ingest;

/// <summary>
/// What every OTLP transport does with a decoded request, knowing nothing about the transport: normalize it
/// (rejecting it whole when malformed) and hand it to the sink, which returns once it is durable.
/// </summary>
public sealed class OtlpIngestService(ITelemetrySink sink)
{
    /// <exception cref="OtlpFormatException">The request is malformed; nothing of it is stored.</exception>
    /// <exception cref="TelemetryRejectedException">The request cannot be stored now; nothing of it is stored.</exception>
    public async ValueTask<int> ExportTracesAsync(ExportTraceServiceRequest request, CancellationToken cancellationToken)
    {
        var spans = OtlpTraceNormalizer.Normalize(request);
        if (spans.Count > 0)
            await sink.WriteAsync(new TelemetryBatch(spans, []), cancellationToken).ConfigureAwait(false);
        return spans.Count;
    }

    /// <inheritdoc cref="ExportTracesAsync"/>
    public async ValueTask<int> ExportLogsAsync(ExportLogsServiceRequest request, CancellationToken cancellationToken)
    {
        var logs = OtlpLogNormalizer.Normalize(request);
        if (logs.Count > 0)
            await sink.WriteAsync(new TelemetryBatch([], logs), cancellationToken).ConfigureAwait(false);
        return logs.Count;
    }
}
