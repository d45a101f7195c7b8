namespace Threadline.Stitching;

/// <summary>
/// <see cref="IStitchState"/> in dictionaries. Memory grows with the spans kept (only their <see cref="SpanFacts"/>, not
/// payloads) until the store's retention deletes them (<see cref="StitchEngine.ForgetSpansStartedBefore"/>).
/// </summary>
public sealed class InMemoryStitchState : IStitchState
{
    private readonly Dictionary<UInt128, Dictionary<ulong, SpanFacts>> _spans = [];
    // The earliest span start of each trace, so that forgetting old spans looks only at the traces that have some.
    private readonly Dictionary<UInt128, long> _traceEarliestStart = [];
    private readonly Dictionary<InvocationId, Invocation> _invocations = [];
    private readonly MultiMap<UInt128, InvocationId> _traceInvocations = new();
    private readonly MultiMap<string, InvocationId> _byRequestId = new();
    private readonly MultiMap<string, ProducerRef> _producers = new();
    private readonly MultiMap<string, InvocationId> _consumers = new();
    private readonly MultiMap<(string Table, string Pair), WriteRef> _writes = new();
    private readonly MultiMap<(string Table, string Pair), InvocationId> _readers = new();
    private readonly Dictionary<InvocationId, Dictionary<InvocationId, Hop>> _incoming = [];
    private readonly Dictionary<InvocationId, Dictionary<InvocationId, Hop>> _outgoing = [];
    private readonly Dictionary<InvocationId, HashSet<InvocationId>> _members = [];
    private readonly MultiMap<InvocationId, InvocationId> _transactionsOf = new();
    // Each transaction's summary, and the same summaries ordered latest first: a list query walks only the time range
    // it asks for instead of summarizing every transaction.
    private readonly Dictionary<InvocationId, TransactionSummary> _summaries = [];
    private readonly SortedSet<TransactionSummary> _latestFirst = new(TransactionSummaryOrder.LatestFirst);

    public bool TryAddSpan(SpanFacts span)
    {
        if (!_spans.TryGetValue(span.TraceId, out var trace))
            _spans[span.TraceId] = trace = [];
        if (!trace.TryAdd(span.SpanId, span))
            return false;
        if (!_traceEarliestStart.TryGetValue(span.TraceId, out var earliest) || span.StartTimeUnixNano < earliest)
            _traceEarliestStart[span.TraceId] = span.StartTimeUnixNano;
        return true;
    }

    public IReadOnlyCollection<UInt128> RemoveSpansStartedBefore(long cutoffUnixNano)
    {
        var touched = _traceEarliestStart.Where(t => t.Value < cutoffUnixNano).Select(t => t.Key).ToList();
        foreach (var traceId in touched)
        {
            var trace = _spans[traceId];
            foreach (var old in trace.Values.Where(s => s.StartTimeUnixNano < cutoffUnixNano).Select(s => s.SpanId).ToList())
                trace.Remove(old);
            if (trace.Count == 0)
            {
                _spans.Remove(traceId);
                _traceEarliestStart.Remove(traceId);
            }
            else
            {
                _traceEarliestStart[traceId] = trace.Values.Min(s => s.StartTimeUnixNano);
            }
        }
        return touched;
    }

    public IReadOnlyDictionary<ulong, SpanFacts> TraceSpans(UInt128 traceId) =>
        _spans.TryGetValue(traceId, out var trace) ? trace : new Dictionary<ulong, SpanFacts>();

    public Invocation? GetInvocation(InvocationId id) => _invocations.GetValueOrDefault(id);

    public IReadOnlyCollection<InvocationId> TraceInvocations(UInt128 traceId) => _traceInvocations.Get(traceId);

    public void PutInvocation(Invocation invocation)
    {
        RemoveInvocation(invocation.Id);
        _invocations[invocation.Id] = invocation;
        Index(invocation, present: true);
    }

    public void RemoveInvocation(InvocationId id)
    {
        if (_invocations.Remove(id, out var invocation))
            Index(invocation, present: false);
    }

    public IReadOnlyCollection<InvocationId> InvocationsByRequestId(string requestId) => _byRequestId.Get(requestId);

    public IReadOnlyCollection<ProducerRef> Producers(string key) => _producers.Get(key);

    public IReadOnlyCollection<InvocationId> Consumers(string key) => _consumers.Get(key);

    public IReadOnlyCollection<WriteRef> DynamoWrites(string table, string pair) => _writes.Get((table, pair));

    public IReadOnlyCollection<InvocationId> DynamoReaders(string table, string pair) => _readers.Get((table, pair));

    public IReadOnlyCollection<Hop> Incoming(InvocationId to) =>
        _incoming.TryGetValue(to, out var hops) ? hops.Values : [];

    public IReadOnlyCollection<Hop> Outgoing(InvocationId from) =>
        _outgoing.TryGetValue(from, out var hops) ? hops.Values : [];

    public void PutHop(Hop hop)
    {
        Edges(_incoming, hop.To)[hop.From] = hop;
        Edges(_outgoing, hop.From)[hop.To] = hop;
    }

    public void RemoveHop(InvocationId from, InvocationId to)
    {
        if (_incoming.TryGetValue(to, out var incoming) && incoming.Remove(from) && incoming.Count == 0)
            _incoming.Remove(to);
        if (_outgoing.TryGetValue(from, out var outgoing) && outgoing.Remove(to) && outgoing.Count == 0)
            _outgoing.Remove(from);
    }

    public IReadOnlyCollection<InvocationId>? Members(InvocationId entry) => _members.GetValueOrDefault(entry);

    public void SetMembers(InvocationId entry, IReadOnlyCollection<InvocationId> members)
    {
        RemoveTransaction(entry);
        _members[entry] = [.. members];
        foreach (var member in members)
            _transactionsOf.Add(member, entry);
    }

    public void RemoveTransaction(InvocationId entry)
    {
        if (!_members.Remove(entry, out var members))
            return;
        foreach (var member in members)
            _transactionsOf.Remove(member, entry);
    }

    public IReadOnlyCollection<InvocationId> TransactionsOf(InvocationId invocation) => _transactionsOf.Get(invocation);

    public TransactionSummary? Summary(InvocationId entry) => _summaries.GetValueOrDefault(entry);

    public void PutSummary(TransactionSummary summary)
    {
        RemoveSummary(summary.EntryInvocation);
        _summaries[summary.EntryInvocation] = summary;
        _latestFirst.Add(summary);
    }

    public void RemoveSummary(InvocationId entry)
    {
        if (_summaries.Remove(entry, out var previous))
            _latestFirst.Remove(previous);
    }

    public IReadOnlyList<TransactionSummary> ListSummaries(TransactionFilter filter) =>
        [.. SummariesLatestFirst(filter.FromUnixNano, filter.ToUnixNano).Where(filter.Admits).Take(filter.Limit)];

    /// <summary>The summaries whose start is in [<paramref name="from"/>, <paramref name="to"/>), latest first.</summary>
    private IEnumerable<TransactionSummary> SummariesLatestFirst(long? from, long? to)
    {
        if (_latestFirst.Count == 0 || (from is { } f && to is { } t && f >= t))
            return [];
        var latest = to is { } end ? Bound(end - 1, InvocationIdMin) : _latestFirst.Min!;
        var earliest = from is { } start ? Bound(start, InvocationIdMax) : _latestFirst.Max!;
        return TransactionSummaryOrder.LatestFirst.Compare(latest, earliest) > 0 ? [] : _latestFirst.GetViewBetween(latest, earliest);
    }

    private static readonly InvocationId InvocationIdMin = new(UInt128.MinValue, ulong.MinValue);
    private static readonly InvocationId InvocationIdMax = new(UInt128.MaxValue, ulong.MaxValue);

    private static TransactionSummary Bound(long start, InvocationId id) =>
        new("", id, new TransactionEntry(null, "", null), start, 0, Telemetry.StatusCode.Unset, 0, 0);

    /// <summary>Adds (or removes) every index entry of one invocation.</summary>
    private void Index(Invocation invocation, bool present)
    {
        var id = invocation.Id;
        _traceInvocations.Set(id.TraceId, id, present);
        if (invocation.RequestId is { } requestId)
            _byRequestId.Set(requestId, id, present);
        foreach (var key in invocation.Outbound)
            _producers.Set(key.Key, new ProducerRef(id, key), present);
        foreach (var key in invocation.Inbound)
            _consumers.Set(key.Key, id, present);
        foreach (var write in invocation.Writes)
        {
            foreach (var pair in write.Pairs)
                _writes.Set((write.Table, pair), new WriteRef(id, write), present);
        }
        foreach (var read in invocation.Reads)
            _readers.Set((read.Table, read.Pairs[0]), id, present);
    }

    private static Dictionary<InvocationId, Hop> Edges(Dictionary<InvocationId, Dictionary<InvocationId, Hop>> edges, InvocationId at)
    {
        if (!edges.TryGetValue(at, out var hops))
            edges[at] = hops = [];
        return hops;
    }
}
