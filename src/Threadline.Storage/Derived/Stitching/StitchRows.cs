namespace Threadline.Storage.Derived.Stitching;

/// <summary>An invocation's id (its root span) or a span's id: trace id and span id; ordered by trace id, then span id.</summary>
public readonly record struct StitchId(UInt128 TraceId, ulong SpanId) : IComparable<StitchId>
{
    public int CompareTo(StitchId other)
    {
        var byTrace = TraceId.CompareTo(other.TraceId);
        return byTrace != 0 ? byTrace : SpanId.CompareTo(other.SpanId);
    }
}

/// <summary>The stitching facts of one span, as the stitcher serialized them (the store does not read them).</summary>
public sealed record StitchSpanRow(UInt128 TraceId, ulong SpanId, long StartTimeUnixNano, string Facts);

/// <summary>What a key of <see cref="StitchKeyRef"/> indexes an invocation by.</summary>
public enum StitchKeyKind : byte
{
    /// <summary>A correlation key the invocation produced (it is a producer of it).</summary>
    Outbound = 1,
    /// <summary>A correlation key the invocation consumed.</summary>
    Inbound = 2,
    /// <summary>A DynamoDB item write: table and one hashed pair.</summary>
    DynamoWrite = 3,
    /// <summary>A DynamoDB stream record read: table and the record's first pair.</summary>
    DynamoRead = 4,
    /// <summary>The Lambda request id.</summary>
    RequestId = 5,
}

/// <summary>One index entry of an invocation: <paramref name="Key"/> is opaque text (the stitcher composes it).</summary>
public readonly record struct StitchKeyRef(StitchKeyKind Kind, string Key);

/// <summary>One invocation as stored: its id, start and the serialized invocation (the store does not read it).</summary>
public sealed record StitchInvocationRow(StitchId Id, long StartTimeUnixNano, string Body);

/// <summary>An invocation written by a delta, with every key it is found by (replacing its previous keys).</summary>
public sealed record StitchInvocationPut(StitchInvocationRow Invocation, IReadOnlyList<StitchKeyRef> Keys)
{
    /// <summary>The caller knows no invocation with this id is stored: there is nothing to replace (the store skips the lookup).</summary>
    public bool IsNew { get; init; }
}

/// <summary>An invocation found by a key lookup.</summary>
public readonly record struct StitchKeyMatch(StitchKeyRef Key, StitchId Invocation);

/// <summary>One hop: <see cref="From"/> caused <see cref="To"/>; times in Unix nanoseconds.</summary>
public sealed record StitchHopRow(
    StitchId From,
    StitchId To,
    byte Kind,
    string Service,
    string? Resource,
    string Via,
    long BothArrivedUnixNano,
    long LinkedAtUnixNano);

/// <summary>A membership: <see cref="Member"/> belongs to the transaction whose entry is <see cref="Entry"/>.</summary>
public readonly record struct StitchMembershipRow(StitchId Entry, StitchId Member);

/// <summary>A transaction's summary (the list row), keyed by its entry invocation.</summary>
public sealed record StitchTransactionRow(
    StitchId Entry,
    long StartTimeUnixNano,
    double DurationMs,
    byte Status,
    int InvocationCount,
    int ErrorCount,
    string? EntryKind,
    string EntryName,
    string? EntryResource);

/// <summary>A transaction written by a delta: its summary and its complete member set (replacing the previous one).</summary>
public sealed record StitchTransactionPut(StitchTransactionRow Summary, IReadOnlyList<StitchId> Members)
{
    /// <summary>The caller knows no transaction with this entry is stored: there is nothing to replace.</summary>
    public bool IsNew { get; init; }
}

/// <summary>
/// The list query: summaries whose start is in [<see cref="FromUnixNano"/>, <see cref="ToUnixNano"/>), with that
/// status, whose entry kind, name or resource equals <see cref="Entry"/>; latest start first, ties by entry id
/// ascending (trace id, then span id); at most <see cref="Limit"/>. Null means any.
/// </summary>
public sealed record StitchTransactionQuery(long? FromUnixNano, long? ToUnixNano, byte? Status, string? Entry, int Limit);

/// <summary>
/// One derivation's changes, written in one store transaction. A put replaces the row with the same id (an invocation
/// with all its keys; a transaction with its whole member set); a delete of an absent row does nothing. Deletes of
/// a kind apply before its puts, so an id both deleted and put ends put.
/// </summary>
public sealed record StitchDelta
{
    public IReadOnlyList<StitchSpanRow> SpansAdded { get; init; } = [];
    /// <summary>Deletes the facts of every span that started before this time (retention), before the additions.</summary>
    public long? SpansDeletedBefore { get; init; }
    public IReadOnlyList<StitchInvocationPut> InvocationsPut { get; init; } = [];
    public IReadOnlyList<StitchId> InvocationsDeleted { get; init; } = [];
    public IReadOnlyList<StitchHopRow> HopsPut { get; init; } = [];
    public IReadOnlyList<(StitchId From, StitchId To)> HopsDeleted { get; init; } = [];
    public IReadOnlyList<StitchTransactionPut> TransactionsPut { get; init; } = [];
    public IReadOnlyList<StitchId> TransactionsDeleted { get; init; } = [];
    /// <summary>The commit sequence whose spans this delta completes; null keeps the stored watermark.</summary>
    public long? Watermark { get; init; }

    public bool IsEmpty =>
        SpansAdded.Count == 0 && SpansDeletedBefore is null && InvocationsPut.Count == 0 && InvocationsDeleted.Count == 0
        && HopsPut.Count == 0 && HopsDeleted.Count == 0 && TransactionsPut.Count == 0 && TransactionsDeleted.Count == 0
        && Watermark is null;
}
