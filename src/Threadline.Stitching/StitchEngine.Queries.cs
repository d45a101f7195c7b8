using Threadline.Telemetry;

namespace Threadline.Stitching;

public sealed partial class StitchEngine
{
    /// <summary>The transaction whose id (its entry invocation's id) is <paramref name="id"/>.</summary>
    public Transaction? GetTransaction(string id)
    {
        if (!InvocationId.TryParse(id, out var entry))
            return null;
        lock (_lock)
        {
            if (_state.Members(entry) is not { } memberIds)
                return null;
            var members = memberIds.ToHashSet();
            var invocations = Load(members);
            var hops = members
                .SelectMany(m => _state.Outgoing(m))
                .Where(h => members.Contains(h.To))
                .OrderBy(h => h.From)
                .ThenBy(h => h.To)
                .ToList();
            return new Transaction(Summarize(entry, invocations), invocations, hops);
        }
    }

    /// <summary>Transactions by filter, latest start first.</summary>
    public IReadOnlyList<TransactionSummary> ListTransactions(TransactionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        lock (_lock)
        {
            if (filter.TraceId is null && filter.RequestId is null && filter.MessageId is null)
                return [.. SummariesLatestFirst(filter.FromUnixNano, filter.ToUnixNano).Where(s => Matches(s, filter)).Take(filter.Limit)];
            return [.. NamedEntries(filter)
                .Select(entry => _summaries[entry])
                .Where(s => Matches(s, filter))
                .Order(LatestFirst.Instance)
                .Take(filter.Limit)];
        }
    }

    /// <summary>The entries of the transactions holding the invocations the filter names by id.</summary>
    private List<InvocationId> NamedEntries(TransactionFilter filter)
    {
        IEnumerable<InvocationId>? invocations = null;
        if (filter.TraceId is { } traceId)
            invocations = _state.TraceInvocations(traceId);
        if (filter.RequestId is { } requestId)
            invocations = invocations?.Intersect(_state.InvocationsByRequestId(requestId)) ?? _state.InvocationsByRequestId(requestId);
        if (filter.MessageId is { } messageId)
            invocations = invocations?.Intersect(MessageSenders(messageId)) ?? MessageSenders(messageId);
        return [.. invocations!.SelectMany(_state.TransactionsOf).Distinct()];
    }

    /// <summary>The ids of the transactions an invocation belongs to (more than one for a shared batch consumer).</summary>
    public IReadOnlyList<string> TransactionsOf(InvocationId invocation)
    {
        lock (_lock)
            return [.. _state.TransactionsOf(invocation).Order().Select(e => e.ToString())];
    }

    public Invocation? GetInvocation(InvocationId id)
    {
        lock (_lock)
            return _state.GetInvocation(id) is { } invocation ? WithRetry(invocation) : null;
    }

    /// <summary>Lambda invocations by request id (<c>faas.invocation_id</c>); a redelivered async invoke may give two.</summary>
    public IReadOnlyList<Invocation> FindByRequestId(string requestId)
    {
        lock (_lock)
            return Load(_state.InvocationsByRequestId(requestId));
    }

    /// <summary>Invocations that sent or received a message, notification or event with this id.</summary>
    public IReadOnlyList<Invocation> FindByMessageId(string messageId)
    {
        lock (_lock)
            return Load(MessageInvocations(messageId));
    }

    private static string[] MessageKeys(string messageId) =>
        [CorrelationKeys.SqsMessage + messageId, CorrelationKeys.SnsMessage + messageId, CorrelationKeys.EventBridgeEvent + messageId];

    private HashSet<InvocationId> MessageInvocations(string messageId) =>
        MessageKeys(messageId).SelectMany(k => _state.Consumers(k).Concat(_state.Producers(k).Select(p => p.Invocation))).ToHashSet();

    /// <summary>
    /// Who sent the message (its consumers when the sender is unknown): a batch consumer also belongs to the
    /// transactions of the other messages of its batch, which this message is no part of.
    /// </summary>
    private HashSet<InvocationId> MessageSenders(string messageId)
    {
        var keys = MessageKeys(messageId);
        var senders = keys.SelectMany(k => _state.Producers(k).Select(p => p.Invocation)).ToHashSet();
        return senders.Count > 0 ? senders : keys.SelectMany(_state.Consumers).ToHashSet();
    }

    /// <summary>The invocations that produced a correlation key, each with the span that did (a record's sender).</summary>
    public IReadOnlyList<ProducerRef> ProducersOf(string key)
    {
        lock (_lock)
            return [.. _state.Producers(key).OrderBy(p => p.Invocation).ThenBy(p => p.Key.SpanId)];
    }

    /// <summary>The hops into an invocation (what caused it).</summary>
    public IReadOnlyList<Hop> IncomingHops(InvocationId invocation)
    {
        lock (_lock)
            return [.. _state.Incoming(invocation).OrderBy(h => h.From)];
    }

    /// <summary>The hops out of an invocation (what it caused).</summary>
    public IReadOnlyList<Hop> OutgoingHops(InvocationId invocation)
    {
        lock (_lock)
            return [.. _state.Outgoing(invocation).OrderBy(h => h.To)];
    }

    public IReadOnlyList<Invocation> FindByTraceId(UInt128 traceId)
    {
        lock (_lock)
            return Load(_state.TraceInvocations(traceId));
    }

    private List<Invocation> Load(IEnumerable<InvocationId> ids) =>
        [.. ids.Select(_state.GetInvocation).OfType<Invocation>()
            .Select(WithRetry)
            .OrderBy(i => i.StartTimeUnixNano)
            .ThenBy(i => i.Id)];

    /// <summary>
    /// A duplicate delivery: another invocation of the same function, through the same trigger, consumed the same
    /// message key or the same stream record, and started earlier (ties: lower id). The trigger must match because
    /// one message reaching a function by two paths (an SNS topic delivering directly and through a subscribed
    /// queue) is fan-out, not a redelivery.
    /// </summary>
    private Invocation WithRetry(Invocation invocation)
    {
        bool Earlier(InvocationId otherId) =>
            otherId != invocation.Id
            && _state.GetInvocation(otherId) is { } other
            && other.Function == invocation.Function
            && other.Trigger == invocation.Trigger
            && (other.StartTimeUnixNano < invocation.StartTimeUnixNano
                || (other.StartTimeUnixNano == invocation.StartTimeUnixNano && other.Id.CompareTo(invocation.Id) < 0));

        var duplicate = invocation.Inbound.Any(k => CorrelationKeys.ServiceOf(k.Key) is not null && _state.Consumers(k.Key).Any(Earlier))
            || invocation.Reads.Any(r => _state.DynamoReaders(r.Table, r.Pairs[0]).Any(o =>
                Earlier(o) && _state.GetInvocation(o)!.Reads.Any(x => x.Table == r.Table && x.TimeUnixNano == r.TimeUnixNano && x.Pairs.SequenceEqual(r.Pairs))));
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

    private static bool Matches(TransactionSummary summary, TransactionFilter filter) =>
        (filter.FromUnixNano is not { } from || summary.StartTimeUnixNano >= from)
        && (filter.ToUnixNano is not { } to || summary.StartTimeUnixNano < to)
        && (filter.Status is not { } status || summary.Status == status)
        && (filter.Entry is not { } entry
            || summary.Entry.Kind == entry || summary.Entry.Name == entry || summary.Entry.Resource == entry);
}
