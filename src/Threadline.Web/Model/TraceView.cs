using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>
/// One trace on the timeline: its invocations taken together as one pseudo-transaction (so the waterfall and the
/// critical path work as for a transaction), with the stitched transactions each invocation belongs to.
/// </summary>
public sealed record TraceView(
    string TraceId,
    IReadOnlyList<Invocation> Invocations,
    IReadOnlyList<SpanRecord> Spans,
    TimelineModel Timeline,
    IReadOnlyList<string> TransactionIds,
    IReadOnlyDictionary<string, IReadOnlyList<string>> TransactionsOf)
{
    /// <summary>Spans stored for the trace that belong to no invocation (not stitched yet, or outside any function).</summary>
    public int UnplacedSpans => Spans.Count - Timeline.Rows.Count;

    public bool Failed => Invocations.Any(i => i.Status == StatusCode.Error);

    public static TraceView Of(string traceId, IReadOnlyList<Invocation> invocations, IReadOnlyList<Hop> hops, IReadOnlyList<SpanRecord> spans,
        IReadOnlyDictionary<string, IReadOnlyList<string>> transactionsOf)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(transactionsOf);
        var ordered = invocations.OrderBy(i => i.StartTimeUnixNano).ThenBy(i => i.Id).ToList();
        var timeline = ordered.Count == 0 ? new TimelineModel([], 0) : TimelineModel.Of(Pseudo(traceId, ordered, hops), spans);
        var transactions = ordered.SelectMany(i => transactionsOf.GetValueOrDefault(i.Id.ToString()) ?? []).Distinct().ToList();
        return new TraceView(traceId, ordered, spans, timeline, transactions, transactionsOf);
    }

    /// <summary>Where a timeline row leads: the span in the first transaction its invocation belongs to; null outside any.</summary>
    public string? RowLink(TimelineRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return TransactionsOf.GetValueOrDefault(row.Invocation) is [var transaction, ..]
            ? $"{Links.Transaction(transaction, row.Invocation)}&span={row.SpanId}"
            : null;
    }

    private static Transaction Pseudo(string traceId, List<Invocation> invocations, IReadOnlyList<Hop> hops)
    {
        var first = invocations[0];
        var start = first.StartTimeUnixNano;
        var errors = invocations.Count(i => i.Status == StatusCode.Error);
        var summary = new TransactionSummary(traceId, first.Id, new TransactionEntry(first.Trigger.Kind, first.Function, first.Trigger.Resource), start,
            (invocations.Max(i => i.EndTimeUnixNano) - start) / 1e6, errors > 0 ? StatusCode.Error : StatusCode.Ok, invocations.Count, errors);
        return new Transaction(summary, invocations, hops);
    }
}
