using Threadline.Telemetry;

namespace Threadline.Stitching;

public sealed partial class StitchEngine
{
    // Each transaction's summary, kept current as its members change, and the same summaries ordered latest first:
    // a list query walks only the time range it asks for instead of summarizing every transaction.
    private readonly Dictionary<InvocationId, TransactionSummary> _summaries = [];
    private readonly SortedSet<TransactionSummary> _latestFirst = new(LatestFirst.Instance);

    private void PutSummary(InvocationId entry, IReadOnlyCollection<InvocationId> members)
    {
        DropSummary(entry);
        var summary = Summarize(entry, [.. members.Select(_state.GetInvocation).OfType<Invocation>()]);
        _summaries[entry] = summary;
        _latestFirst.Add(summary);
    }

    private void DropSummary(InvocationId entry)
    {
        if (_summaries.Remove(entry, out var previous))
            _latestFirst.Remove(previous);
    }

    /// <summary>The summaries whose start is in [<paramref name="from"/>, <paramref name="to"/>), latest first.</summary>
    private IEnumerable<TransactionSummary> SummariesLatestFirst(long? from, long? to)
    {
        if (_latestFirst.Count == 0 || (from is { } f && to is { } t && f >= t))
            return [];
        var latest = to is { } end ? Bound(end - 1, InvocationIdMin) : _latestFirst.Min!;
        var earliest = from is { } start ? Bound(start, InvocationIdMax) : _latestFirst.Max!;
        return LatestFirst.Instance.Compare(latest, earliest) > 0 ? [] : _latestFirst.GetViewBetween(latest, earliest);
    }

    private static readonly InvocationId InvocationIdMin = new(UInt128.MinValue, ulong.MinValue);
    private static readonly InvocationId InvocationIdMax = new(UInt128.MaxValue, ulong.MaxValue);

    private static TransactionSummary Bound(long start, InvocationId id) =>
        new("", id, new TransactionEntry(null, "", null), start, 0, StatusCode.Unset, 0, 0);

    /// <summary>Latest start first; of equal starts, the lower entry id first (the order lists are answered in).</summary>
    private sealed class LatestFirst : IComparer<TransactionSummary>
    {
        public static readonly LatestFirst Instance = new();

        public int Compare(TransactionSummary? x, TransactionSummary? y)
        {
            if (ReferenceEquals(x, y))
                return 0;
            if (x is null || y is null)
                return x is null ? -1 : 1;
            var byStart = y.StartTimeUnixNano.CompareTo(x.StartTimeUnixNano);
            return byStart != 0 ? byStart : x.EntryInvocation.CompareTo(y.EntryInvocation);
        }
    }
}
