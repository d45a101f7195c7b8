using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>What started a transaction: the entry invocation's trigger kind, its function and trigger resource.</summary>
public sealed record TransactionEntry(string? Kind, string Name, string? Resource);

/// <summary>One row of the transaction list.</summary>
public sealed record TransactionSummary(
    string Id,
    InvocationId EntryInvocation,
    TransactionEntry Entry,
    long StartTimeUnixNano,
    double DurationMs,
    StatusCode Status,
    int InvocationCount,
    int ErrorCount);

/// <summary>
/// A transaction's members and, for each, how many transactions it belongs to (more than one for a shared batch
/// consumer, whose cost and impact are split between them): what a report over many transactions needs of each.
/// </summary>
public sealed record TransactionShares(TransactionSummary Summary, IReadOnlyDictionary<InvocationId, int> Members);

/// <summary>A transaction: its entry invocation and everything it caused, with the hops between them.</summary>
public sealed record Transaction(
    TransactionSummary Summary,
    IReadOnlyList<Invocation> Invocations,
    IReadOnlyList<Hop> Hops)
{
    public string Id => Summary.Id;
}

/// <summary>
/// Filters of the transaction list; null means "any". <see cref="Entry"/> matches the entry's kind, name or resource
/// exactly; <see cref="TraceId"/>, <see cref="RequestId"/> and <see cref="MessageId"/> keep the transactions that
/// contain an invocation of that trace, with that Lambda request id, or that sent that message (or received it, when
/// its sender is unknown).
/// </summary>
public sealed record TransactionFilter
{
    public UInt128? TraceId { get; init; }
    public string? RequestId { get; init; }
    public string? MessageId { get; init; }
    public long? FromUnixNano { get; init; }
    public long? ToUnixNano { get; init; }
    public string? Entry { get; init; }
    public StatusCode? Status { get; init; }
    public int Limit { get; init; } = 100;

    /// <summary>Whether a summary passes the range, status and entry filters (the id filters need the state).</summary>
    public bool Admits(TransactionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return (FromUnixNano is not { } from || summary.StartTimeUnixNano >= from)
            && (ToUnixNano is not { } to || summary.StartTimeUnixNano < to)
            && (Status is not { } status || summary.Status == status)
            && (Entry is not { } entry
                || summary.Entry.Kind == entry || summary.Entry.Name == entry || summary.Entry.Resource == entry);
    }
}

/// <summary>What one <see cref="StitchEngine.Ingest"/> call changed, for a store or a live view to follow.</summary>
public sealed record StitchResult(
    IReadOnlyList<InvocationId> ChangedInvocations,
    IReadOnlyList<InvocationId> RemovedInvocations,
    IReadOnlyList<Hop> LinkedHops,
    IReadOnlyList<(InvocationId From, InvocationId To)> UnlinkedHops,
    IReadOnlyList<string> ChangedTransactions,
    IReadOnlyList<string> RemovedTransactions)
{
    /// <summary>
    /// The traces of which the stitcher held no span before this ingest: every span it knows of them came with it.
    /// (Only as good as the state is complete: a caller deriving behind the stored spans must not rely on it.)
    /// </summary>
    public IReadOnlySet<UInt128> NewTraces { get; init; } = new HashSet<UInt128>();
}
