using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>
/// One bar of the waterfall: a span placed on the transaction's time axis (<see cref="LeftPercent"/> and
/// <see cref="WidthPercent"/> of the whole), indented by its depth inside its invocation.
/// </summary>
public sealed record TimelineRow(
    string SpanId,
    string Invocation,
    string Function,
    string Name,
    int Depth,
    bool IsInvocation,
    bool Failed,
    bool Critical,
    double OffsetMs,
    double DurationMs,
    double LeftPercent,
    double WidthPercent)
{
    public string DurationText => Format.Duration(DurationMs);
}

/// <summary>
/// The waterfall across all invocations of a transaction on one time axis, rows in start order; the gaps between
/// an async hop's sender and receiver show as empty axis. The invocations of the <see cref="CriticalPath"/> are marked.
/// </summary>
public sealed record TimelineModel(IReadOnlyList<TimelineRow> Rows, double TotalMs)
{
    public static TimelineModel Of(Transaction transaction, IReadOnlyList<SpanRecord> spans)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(spans);
        var owners = new Dictionary<(UInt128, ulong), Invocation>();
        foreach (var invocation in transaction.Invocations)
        {
            foreach (var spanId in invocation.SpanIds)
                owners[(invocation.TraceId, spanId)] = invocation;
        }
        var owned = spans.Where(s => owners.ContainsKey((s.TraceId, s.SpanId)))
            .OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.EndTimeUnixNano).ThenBy(s => s.SpanId).ToList();
        if (owned.Count == 0)
            return new TimelineModel([], 0);

        var start = owned.Min(s => s.StartTimeUnixNano);
        var end = Math.Max(owned.Max(s => s.EndTimeUnixNano), start + 1);
        var total = (double)(end - start);
        var byId = owned.ToDictionary(s => (s.TraceId, s.SpanId));
        var critical = CriticalPath.Of(transaction).ToHashSet();
        var depths = new Dictionary<(UInt128, ulong), int>();

        int DepthOf(SpanRecord span)
        {
            var key = (span.TraceId, span.SpanId);
            if (depths.TryGetValue(key, out var known))
                return known;
            depths[key] = 0; // guards against a parent cycle in malformed data
            var owner = owners[key];
            var depth = span.SpanId != owner.SpanId && byId.TryGetValue((span.TraceId, span.ParentSpanId), out var parent) && owners[(parent.TraceId, parent.SpanId)] == owner
                ? DepthOf(parent) + 1
                : span.SpanId == owner.SpanId ? 0 : 1;
            depths[key] = depth;
            return depth;
        }

        var rows = owned.Select(s =>
        {
            var owner = owners[(s.TraceId, s.SpanId)];
            var offset = s.StartTimeUnixNano - start;
            var length = Math.Max(0, s.EndTimeUnixNano - s.StartTimeUnixNano);
            return new TimelineRow(TelemetryIds.FormatSpanId(s.SpanId), owner.Id.ToString(), owner.Function, s.Name, DepthOf(s),
                s.SpanId == owner.SpanId, s.StatusCode == StatusCode.Error, s.SpanId == owner.SpanId && critical.Contains(owner.Id), offset / 1e6, length / 1e6,
                offset / total * 100, Math.Max(length / total * 100, 0.2));
        }).ToList();
        return new TimelineModel(rows, total / 1e6);
    }
}
