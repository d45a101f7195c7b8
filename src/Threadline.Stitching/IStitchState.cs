namespace Threadline.Stitching;

/// <summary>A producer of a correlation key: the invocation and the outbound key as it recorded it.</summary>
public readonly record struct ProducerRef(InvocationId Invocation, OutboundKey Key);

/// <summary>A DynamoDB item write of an invocation.</summary>
public readonly record struct WriteRef(InvocationId Invocation, DynamoWrite Write);

/// <summary>
/// Everything the <see cref="StitchEngine"/> remembers between batches, behind one interface so that a store can
/// persist it. The engine holds the logic; an implementation only stores and indexes, and MUST keep the indexes
/// consistent with the invocations it holds (<see cref="PutInvocation"/> replaces an invocation and its index
/// entries; <see cref="RemoveInvocation"/> drops both). Calls come from one thread at a time. Returned collections
/// may be live views: the engine copies what it iterates while it writes.
/// </summary>
public interface IStitchState : IRetryReads
{
    /// <summary>
    /// Called by <see cref="StitchEngine.Ingest"/> before it derives a batch: a state backed by a store loads, in a few
    /// batched reads, what the batch can touch. Does nothing for a state in memory.
    /// </summary>
    void Prefetch(IReadOnlyList<SpanFacts> spans)
    {
    }

    /// <summary>
    /// Called by the engine's queries before they read these invocations one by one (a transaction's members): a state
    /// backed by a store loads them, their hops and their transactions in a few batched reads. Does nothing in memory.
    /// </summary>
    void Preload(IReadOnlyCollection<InvocationId> invocations)
    {
    }

    /// <summary>
    /// A read-only view of the committed state that the engine's queries read from any thread without its lock (so a
    /// query never waits for an ingest); null when queries must read this state under the engine's lock.
    /// </summary>
    IStitchState? ReadView => null;

    /// <summary>Remembers one span's facts; false when that span (trace id + span id) is already known.</summary>
    bool TryAddSpan(SpanFacts span);

    IReadOnlyDictionary<ulong, SpanFacts> TraceSpans(UInt128 traceId);

    /// <summary>Forgets the facts of every span that started before the cutoff; returns the traces that lost some.</summary>
    IReadOnlyCollection<UInt128> RemoveSpansStartedBefore(long cutoffUnixNano);

    IReadOnlyCollection<InvocationId> TraceInvocations(UInt128 traceId);

    void PutInvocation(Invocation invocation);

    void RemoveInvocation(InvocationId id);

    IReadOnlyCollection<InvocationId> InvocationsByRequestId(string requestId);

    /// <summary>Invocations with <paramref name="key"/> among their <see cref="Invocation.Outbound"/> keys.</summary>
    IReadOnlyCollection<ProducerRef> Producers(string key);

    /// <summary>Item writes to <paramref name="table"/> whose pairs include <paramref name="pair"/>.</summary>
    IReadOnlyCollection<WriteRef> DynamoWrites(string table, string pair);

    IReadOnlyCollection<Hop> Incoming(InvocationId to);

    IReadOnlyCollection<Hop> Outgoing(InvocationId from);

    /// <summary>Adds a hop, or replaces the one with the same <see cref="Hop.From"/> and <see cref="Hop.To"/>.</summary>
    void PutHop(Hop hop);

    void RemoveHop(InvocationId from, InvocationId to);

    /// <summary>The members of the transaction whose entry is <paramref name="entry"/>; null when there is none.</summary>
    IReadOnlyCollection<InvocationId>? Members(InvocationId entry);

    void SetMembers(InvocationId entry, IReadOnlyCollection<InvocationId> members);

    void RemoveTransaction(InvocationId entry);

    /// <summary>The entries of the transactions <paramref name="invocation"/> belongs to.</summary>
    IReadOnlyCollection<InvocationId> TransactionsOf(InvocationId invocation);

    /// <summary>
    /// <see cref="Members"/> of many transactions (those with none are absent): a state backed by a store reads them in a
    /// few batched reads, for reports over many transactions.
    /// </summary>
    IReadOnlyDictionary<InvocationId, IReadOnlyCollection<InvocationId>> MembersOf(IReadOnlyCollection<InvocationId> entries)
    {
        var found = new Dictionary<InvocationId, IReadOnlyCollection<InvocationId>>();
        foreach (var entry in entries.Distinct())
        {
            if (Members(entry) is { } members)
                found[entry] = members;
        }
        return found;
    }

    /// <summary>
    /// The invocations of many traces with what telling their duplicate deliveries reads (the other consumers of their
    /// inbound keys, the other readers of their stream records): a state backed by a store reads them in a few batched
    /// reads, for a derivation that reads the invocations of every trace of a page.
    /// </summary>
    TraceInvocationReads ReadTraces(IReadOnlyCollection<UInt128> traceIds) =>
        new(traceIds.Distinct().ToDictionary(t => t, TraceInvocations), this);

    /// <summary>How many transactions each invocation belongs to (<see cref="TransactionsOf"/>), batched as <see cref="MembersOf"/>.</summary>
    IReadOnlyDictionary<InvocationId, int> TransactionCounts(IReadOnlyCollection<InvocationId> invocations) =>
        invocations.Distinct().ToDictionary(i => i, i => TransactionsOf(i).Count);

    /// <summary>The summary of the transaction whose entry is <paramref name="entry"/>; null when there is none.</summary>
    TransactionSummary? Summary(InvocationId entry);

    /// <summary>Adds or replaces the summary of the transaction <see cref="TransactionSummary.EntryInvocation"/>.</summary>
    void PutSummary(TransactionSummary summary);

    void RemoveSummary(InvocationId entry);

    /// <summary>
    /// The summaries the filter admits by range, status and entry (its id filters are the engine's), latest start
    /// first, ties by entry id ascending, at most <see cref="TransactionFilter.Limit"/>.
    /// </summary>
    IReadOnlyList<TransactionSummary> ListSummaries(TransactionFilter filter);
}
