namespace Threadline.Stitching.Persistence;

/// <summary>
/// The committed stitch state of a recent window, in memory: least recently used entries go first. Each entry is a
/// complete answer as of the last commit (an empty set or null is a known absence). Shared by the writer (which
/// fills it from the store and folds its commits into it) and the readers (which only read it); every access holds
/// <see cref="Sync"/>. The window changes speed, never the answer: anything evicted is read back from the store.
/// </summary>
internal sealed class StitchCache
{
    public StitchCache(int traces)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(traces, 1);
        long perInvocation = Math.Min((long)traces * PerTrace, int.MaxValue);
        Spans = new(traces);
        TraceInvocations = new(traces);
        Invocations = new(perInvocation);
        Keys = new(perInvocation * 2);
        Incoming = new(perInvocation);
        Outgoing = new(perInvocation);
        Members = new(perInvocation);
        TransactionsOf = new(perInvocation);
        Summaries = new(perInvocation);
    }

    /// <summary>How many invocations (and hop lists, memberships, summaries) per trace the window holds; twice that of keys.</summary>
    public const int PerTrace = 8;

    public Lock Sync { get; } = new();

    /// <summary>
    /// How many commits have been folded in (changed under <see cref="Sync"/>): a reader may put what it read from the
    /// store into the cache only if no fold happened since it started reading, else it could put an older answer back.
    /// </summary>
    public long Folds { get; set; }
    public LruMap<UInt128, Dictionary<ulong, SpanFacts>> Spans { get; }
    public LruMap<UInt128, HashSet<InvocationId>> TraceInvocations { get; }
    public LruMap<InvocationId, Invocation?> Invocations { get; }
    public LruMap<Storage.Derived.Stitching.StitchKeyRef, HashSet<InvocationId>> Keys { get; }
    public LruMap<InvocationId, Dictionary<InvocationId, Hop>> Incoming { get; }
    public LruMap<InvocationId, Dictionary<InvocationId, Hop>> Outgoing { get; }
    public LruMap<InvocationId, HashSet<InvocationId>?> Members { get; }
    public LruMap<InvocationId, HashSet<InvocationId>> TransactionsOf { get; }
    public LruMap<InvocationId, TransactionSummary?> Summaries { get; }
}
