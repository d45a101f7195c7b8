namespace Threadline.Stitching;

/// <summary>The order lists are answered in: latest start first; of equal starts, the lower entry id first.</summary>
public sealed class TransactionSummaryOrder : IComparer<TransactionSummary>
{
    public static readonly TransactionSummaryOrder LatestFirst = new();

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
