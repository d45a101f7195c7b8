using static Threadline.Stitching.Persistence.StitchRowMapping;

namespace Threadline.Stitching.Persistence;

/// <summary>
/// The committed stitch state for the engine's queries, from any thread: the cache, else the store on a reader
/// connection. It never sees a derivation in progress and never waits for one. Read-only: the writes of
/// <see cref="IStitchState"/> throw.
/// </summary>
internal sealed class StitchReadView(CommittedStitchReads committed) : IStitchState
{
    public IReadOnlyDictionary<ulong, SpanFacts> TraceSpans(UInt128 traceId) => committed.Spans(traceId);

    public void Preload(IReadOnlyCollection<InvocationId> invocations)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        committed.WarmInvocations(invocations);
        committed.WarmHops(invocations);
        committed.WarmTransactionsOf(invocations);
    }

    public TraceInvocationReads ReadTraces(IReadOnlyCollection<UInt128> traceIds)
    {
        ArgumentNullException.ThrowIfNull(traceIds);
        var traces = committed.TraceInvocationsOfMany(traceIds);
        var invocations = committed.InvocationsOfMany([.. traces.Values.SelectMany(ids => ids)]);
        // What the retry rule reads of each invocation: the consumers of its inbound message keys, the readers of its stream records.
        var keys = new HashSet<Storage.Derived.Stitching.StitchKeyRef>();
        foreach (var invocation in invocations.Values.OfType<Invocation>())
        {
            foreach (var inbound in invocation.Inbound)
            {
                if (CorrelationKeys.ServiceOf(inbound.Key) is not null)
                    keys.Add(Inbound(inbound.Key));
            }
            foreach (var read in invocation.Reads)
                keys.Add(DynamoRead(read.Table, read.Pairs[0]));
        }
        var keyed = committed.KeyedMany(keys);
        var others = keyed.Values.SelectMany(ids => ids).Where(id => !invocations.ContainsKey(id)).ToHashSet();
        foreach (var (id, invocation) in committed.InvocationsOfMany(others))
            invocations[id] = invocation;
        return new(traces.ToDictionary(p => p.Key, p => (IReadOnlyCollection<InvocationId>)p.Value), new PreloadedRetryReads(invocations, keyed, this));
    }

    public Invocation? GetInvocation(InvocationId id) => committed.Invocation(id);

    public IReadOnlyCollection<InvocationId> TraceInvocations(UInt128 traceId) => committed.TraceInvocations(traceId);

    public IReadOnlyCollection<InvocationId> InvocationsByRequestId(string requestId) => committed.Keyed(RequestId(requestId));

    public IReadOnlyCollection<ProducerRef> Producers(string key) => KeyedRefs.Producers(committed.Keyed(Outbound(key)), key, committed.Invocation);

    public IReadOnlyCollection<InvocationId> Consumers(string key) => committed.Keyed(Inbound(key));

    public IReadOnlyCollection<WriteRef> DynamoWrites(string table, string pair) =>
        KeyedRefs.Writes(committed.Keyed(DynamoWrite(table, pair)), table, pair, committed.Invocation);

    public IReadOnlyCollection<InvocationId> DynamoReaders(string table, string pair) => committed.Keyed(DynamoRead(table, pair));

    public IReadOnlyCollection<Hop> Incoming(InvocationId to) => committed.Incoming(to).Values;

    public IReadOnlyCollection<Hop> Outgoing(InvocationId from) => committed.Outgoing(from).Values;

    public IReadOnlyCollection<InvocationId>? Members(InvocationId entry) => committed.Members(entry);

    public IReadOnlyCollection<InvocationId> TransactionsOf(InvocationId invocation) => committed.TransactionsOf(invocation);

    public IReadOnlyDictionary<InvocationId, IReadOnlyCollection<InvocationId>> MembersOf(IReadOnlyCollection<InvocationId> entries) =>
        committed.MembersOf(entries);

    public IReadOnlyDictionary<InvocationId, int> TransactionCounts(IReadOnlyCollection<InvocationId> invocations) =>
        committed.TransactionsOfMany(invocations).ToDictionary(p => p.Key, p => p.Value.Count);

    public TransactionSummary? Summary(InvocationId entry) => committed.Summary(entry);

    public IReadOnlyList<TransactionSummary> ListSummaries(TransactionFilter filter) =>
        [.. committed.Store.ListTransactions(StitchRowMapping.Query(filter, filter.Limit)).Select(StitchRowMapping.Summary)];

    public bool TryAddSpan(SpanFacts span) => throw ReadOnly();

    public IReadOnlyCollection<UInt128> RemoveSpansStartedBefore(long cutoffUnixNano) => throw ReadOnly();

    public void PutInvocation(Invocation invocation) => throw ReadOnly();

    public void RemoveInvocation(InvocationId id) => throw ReadOnly();

    public void PutHop(Hop hop) => throw ReadOnly();

    public void RemoveHop(InvocationId from, InvocationId to) => throw ReadOnly();

    public void SetMembers(InvocationId entry, IReadOnlyCollection<InvocationId> members) => throw ReadOnly();

    public void RemoveTransaction(InvocationId entry) => throw ReadOnly();

    public void PutSummary(TransactionSummary summary) => throw ReadOnly();

    public void RemoveSummary(InvocationId entry) => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("The read view of the stitch state is read-only; the engine writes through the state itself.");
}
