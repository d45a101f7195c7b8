using Threadline.Telemetry;

namespace Threadline.Storage.Write;

/// <summary>
/// The earliest and latest span start of each trace in one write: the rows of a backend's per-trace time index
/// (<c>trace_index</c>), which lets trace by id read only that range.
/// </summary>
public static class TraceRanges
{
    public readonly record struct Range(UInt128 TraceId, long MinStart, long MaxStart);

    public static IEnumerable<Range> Of(IReadOnlyList<TelemetryBatch> batches)
    {
        var ranges = new Dictionary<UInt128, (long Min, long Max)>();
        foreach (var batch in batches)
        {
            foreach (var span in batch.Spans)
            {
                var start = span.StartTimeUnixNano;
                ranges[span.TraceId] = ranges.TryGetValue(span.TraceId, out var range)
                    ? (Math.Min(range.Min, start), Math.Max(range.Max, start))
                    : (start, start);
            }
        }
        return ranges.Select(r => new Range(r.Key, r.Value.Min, r.Value.Max));
    }
}
