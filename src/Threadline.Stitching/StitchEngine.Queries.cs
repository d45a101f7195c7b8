using Threadline.Telemetry;

namespace Threadline.Stitching;

public sealed partial class StitchEngine
{
    /// <summary>
    /// Runs a query on the state's read view (the committed state, from any thread, never waiting for an ingest), or
    /// on the state itself under the engine's lock when it has none.
    /// </summary>
    private T Read<T>(Func<IStitchState, T> query)
    {
        if (_state.ReadView is { } view)
            return query(view);
        lock (_lock)
            return query(_state);
    }

    /// <summary>The transaction whose id (its entry invocation's id) is <paramref name="id"/>.</summary>
    public Transaction? GetTransaction(string id)
    {
        if (!InvocationId.TryParse(id, out var entry))
            return null;
        return Read(state =>
        {
            if (state.Members(entry) is not { } memberIds)
                return null;
            var members = memberIds.ToHashSet();
            state.Preload(members);
            var invocations = Load(state, members);
            var hops = members
                .SelectMany(m => state.Outgoing(m))
                .Where(h => members.Contains(h.To))
                .OrderBy(h => h.From)
                .ThenBy(h => h.To)
                .ToList();
            return new Transaction(Summarize(entry, invocations), invocations, hops);
        });
    }

    /// <summary>Transactions by filter, latest start first.</summary>
    public IReadOnlyList<TransactionSummary> ListTransactions(TransactionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Read<IReadOnlyList<TransactionSummary>>(state =>
        {
            if (filter.TraceId is null && filter.RequestId is null && filter.MessageId is null)
                return state.ListSummaries(filter);
            return [.. NamedEntries(state, filter)
                .Select(state.Summary)
                .OfType<TransactionSummary>()
                .Where(filter.Admits)
                .Order(TransactionSummaryOrder.LatestFirst)
                .Take(filter.Limit)];
        });
    }

    /// <summary>
    /// The transactions the filter admits (as <see cref="ListTransactions"/>) with their members and each member's
    /// number of transactions, in a few batched reads: a report over many transactions loads no invocation or hop, and
    /// does not read them a transaction at a time. A transaction gone between the list and its members is left out.
    /// </summary>
    public IReadOnlyList<TransactionShares> ListTransactionShares(TransactionFilter filter)
    {
        var summaries = ListTransactions(filter);
        return Read<IReadOnlyList<TransactionShares>>(state =>
        {
            var members = state.MembersOf([.. summaries.Select(s => s.EntryInvocation)]);
            var counts = state.TransactionCounts([.. members.Values.SelectMany(m => m)]);
            return [.. summaries.Where(s => members.ContainsKey(s.EntryInvocation)).Select(s => new TransactionShares(s,
                members[s.EntryInvocation].ToDictionary(m => m, m => Math.Max(1, counts.GetValueOrDefault(m)))))];
        });
    }

    /// <summary>
    /// The member ids of each of these transactions (unknown ones are absent), in a few batched reads: for a report
    /// over many transactions that needs no invocation or hop loaded.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<InvocationId>> TransactionMembers(IReadOnlyCollection<string> transactionIds)
    {
        ArgumentNullException.ThrowIfNull(transactionIds);
        var entries = new Dictionary<InvocationId, string>();
        foreach (var id in transactionIds)
        {
            if (InvocationId.TryParse(id, out var entry))
                entries[entry] = id;
        }
        return Read<IReadOnlyDictionary<string, IReadOnlyCollection<InvocationId>>>(state =>
            state.MembersOf(entries.Keys).ToDictionary(p => entries[p.Key], p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>The entries of the transactions holding the invocations the filter names by id.</summary>
    private static List<InvocationId> NamedEntries(IStitchState state, TransactionFilter filter)
    {
        IEnumerable<InvocationId>? invocations = null;
        if (filter.TraceId is { } traceId)
            invocations = state.TraceInvocations(traceId);
        if (filter.RequestId is { } requestId)
            invocations = invocations?.Intersect(state.InvocationsByRequestId(requestId)) ?? state.InvocationsByRequestId(requestId);
        if (filter.MessageId is { } messageId)
            invocations = invocations?.Intersect(MessageSenders(state, messageId)) ?? MessageSenders(state, messageId);
        return [.. invocations!.SelectMany(state.TransactionsOf).Distinct()];
    }

    /// <summary>The ids of the transactions an invocation belongs to (more than one for a shared batch consumer).</summary>
    public IReadOnlyList<string> TransactionsOf(InvocationId invocation) =>
        Read<IReadOnlyList<string>>(state => [.. state.TransactionsOf(invocation).Order().Select(e => e.ToString())]);

    public Invocation? GetInvocation(InvocationId id) =>
        Read(state => state.GetInvocation(id) is { } invocation ? WithRetry(state, invocation) : null);

    /// <summary>Lambda invocations by request id (<c>faas.invocation_id</c>); a redelivered async invoke may give two.</summary>
    public IReadOnlyList<Invocation> FindByRequestId(string requestId) =>
        Read<IReadOnlyList<Invocation>>(state => Load(state, state.InvocationsByRequestId(requestId)));

    /// <summary>Invocations that sent or received a message, notification or event with this id.</summary>
    public IReadOnlyList<Invocation> FindByMessageId(string messageId) =>
        Read<IReadOnlyList<Invocation>>(state => Load(state, MessageInvocations(state, messageId)));

    private static string[] MessageKeys(string messageId) =>
        [CorrelationKeys.SqsMessage + messageId, CorrelationKeys.SnsMessage + messageId, CorrelationKeys.EventBridgeEvent + messageId];

    private static HashSet<InvocationId> MessageInvocations(IStitchState state, string messageId) =>
        MessageKeys(messageId).SelectMany(k => state.Consumers(k).Concat(state.Producers(k).Select(p => p.Invocation))).ToHashSet();

    /// <summary>
    /// Who sent the message (its consumers when the sender is unknown): a batch consumer also belongs to the
    /// transactions of the other messages of its batch, which this message is no part of.
    /// </summary>
    private static HashSet<InvocationId> MessageSenders(IStitchState state, string messageId)
    {
        var keys = MessageKeys(messageId);
        var senders = keys.SelectMany(k => state.Producers(k).Select(p => p.Invocation)).ToHashSet();
        return senders.Count > 0 ? senders : keys.SelectMany(state.Consumers).ToHashSet();
    }

    /// <summary>The invocations that produced a correlation key, each with the span that did (a record's sender).</summary>
    public IReadOnlyList<ProducerRef> ProducersOf(string key) =>
        Read<IReadOnlyList<ProducerRef>>(state => [.. state.Producers(key).OrderBy(p => p.Invocation).ThenBy(p => p.Key.SpanId)]);

    /// <summary>The hops into an invocation (what caused it).</summary>
    public IReadOnlyList<Hop> IncomingHops(InvocationId invocation) =>
        Read<IReadOnlyList<Hop>>(state => [.. state.Incoming(invocation).OrderBy(h => h.From)]);

    /// <summary>The hops out of an invocation (what it caused).</summary>
    public IReadOnlyList<Hop> OutgoingHops(InvocationId invocation) =>
        Read<IReadOnlyList<Hop>>(state => [.. state.Outgoing(invocation).OrderBy(h => h.To)]);

    public IReadOnlyList<Invocation> FindByTraceId(UInt128 traceId) =>
        Read<IReadOnlyList<Invocation>>(state => Load(state, state.TraceInvocations(traceId)));

    /// <summary>
    /// <see cref="FindByTraceId"/> of many traces (each requested trace is a key, with no invocations when it has none), in
    /// a few batched reads of a stored state instead of several per trace.
    /// </summary>
    public IReadOnlyDictionary<UInt128, IReadOnlyList<Invocation>> FindByTraceIds(IReadOnlyCollection<UInt128> traceIds)
    {
        ArgumentNullException.ThrowIfNull(traceIds);
        return Read<IReadOnlyDictionary<UInt128, IReadOnlyList<Invocation>>>(state =>
        {
            var read = state.ReadTraces(traceIds);
            return read.Traces.ToDictionary(p => p.Key, p => (IReadOnlyList<Invocation>)Load(read.Reads, p.Value));
        });
    }

    private static List<Invocation> Load(IRetryReads state, IEnumerable<InvocationId> ids) =>
        [.. ids.Select(state.GetInvocation).OfType<Invocation>()
            .Select(i => WithRetry(state, i))
            .OrderBy(i => i.StartTimeUnixNano)
            .ThenBy(i => i.Id)];

    /// <summary>
    /// A duplicate delivery: another invocation of the same function, through the same trigger, consumed the same
    /// message key or the same stream record, and started earlier (ties: lower id). The trigger must match because
    /// one message reaching a function by two paths (an SNS topic delivering directly and through a subscribed
    /// queue) is fan-out, not a redelivery.
    /// </summary>
    private static Invocation WithRetry(IRetryReads state, Invocation invocation)
    {
        bool Earlier(InvocationId otherId) =>
            otherId != invocation.Id
            && state.GetInvocation(otherId) is { } other
            && other.Function == invocation.Function
            && other.Trigger == invocation.Trigger
            && (other.StartTimeUnixNano < invocation.StartTimeUnixNano
                || (other.StartTimeUnixNano == invocation.StartTimeUnixNano && other.Id.CompareTo(invocation.Id) < 0));

        var duplicate = invocation.Inbound.Any(k => CorrelationKeys.ServiceOf(k.Key) is not null && state.Consumers(k.Key).Any(Earlier))
            || invocation.Reads.Any(r => state.DynamoReaders(r.Table, r.Pairs[0]).Any(o =>
                Earlier(o) && state.GetInvocation(o)!.Reads.Any(x => x.Table == r.Table && x.TimeUnixNano == r.TimeUnixNano && x.Pairs.SequenceEqual(r.Pairs))));
        return invocation with { Retry = invocation.RetryFlag || duplicate };
    }

    private static TransactionSummary Summarize(InvocationId entryId, IReadOnlyList<Invocation> invocations)
    {
        var entry = invocations.FirstOrDefault(i => i.Id == entryId);
        var start = invocations.Count == 0 ? 0 : invocations.Min(i => i.StartTimeUnixNano);
        var end = invocations.Count == 0 ? 0 : invocations.Max(i => i.EndTimeUnixNano);
        var errors = invocations.Count(i => i.Status == StatusCode.Error);
        return new TransactionSummary(
            entryId.ToString(),
            entryId,
            new TransactionEntry(entry?.Trigger.Kind, entry?.Function ?? "", entry?.Trigger.Resource),
            start,
            (end - start) / 1e6,
            errors > 0 ? StatusCode.Error : StatusCode.Ok,
            invocations.Count,
            errors);
    }
}
