using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize.Lumigo;
using Threadline.Telemetry;

namespace Threadline.Ingest;

/// <summary>What the Lumigo receiver does with a body, knowing nothing about HTTP: decode, normalize, hand to the sink.</summary>
public sealed class LumigoIngestService(ITelemetrySink sink)
{
    /// <summary>Stores the readable spans of the bulk; the ones left out are described in the result.</summary>
    /// <exception cref="LumigoFormatException">The body is not a span bulk; nothing of it is stored.</exception>
    /// <exception cref="TelemetryRejectedException">The bulk cannot be stored now; nothing of it is stored.</exception>
    public async ValueTask<LumigoIngestResult> ExportAsync(ReadOnlyMemory<byte> body, int maxDecodedBytes, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        List<SpanRecord> spans;
        using (var bulk = LumigoBulkDecoder.Decode(body, maxDecodedBytes))
            spans = LumigoSpanNormalizer.Normalize(bulk.RootElement, problems);
        if (spans.Count > 0)
            await sink.WriteAsync(new TelemetryBatch(spans, []), cancellationToken).ConfigureAwait(false);
        return new LumigoIngestResult(spans.Count, problems);
    }
}

/// <summary>How many spans were stored, and why the others were left out.</summary>
public sealed record LumigoIngestResult(int Accepted, IReadOnlyList<string> Rejected);
