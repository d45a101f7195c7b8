using Threadline.Storage.Derived.Stitching;
using static Threadline.Stitching.Persistence.StitchRowMapping;

namespace Threadline.Stitching.Persistence;

/// <summary>
/// <see cref="IStitchState"/> kept in an <see cref="IStitchStore"/>. The engine's calls are answered from the overlay
/// (this derivation's changes, not yet committed), then a bounded cache of the committed state of a recent window,
/// then the store. <see cref="Prefetch"/> loads what a batch can touch in a few batched queries; a miss after that is a
/// point read. <see cref="Commit"/> writes the overlay as one delta with the watermark in one store transaction and
/// then folds it into the cache; a failed commit drops the overlay, so the cache never holds what the store does not.
/// Queries read <see cref="ReadView"/>: the committed state, never this derivation's half-done changes.
/// One writer thread; the view is safe from any thread.
/// </summary>
public sealed partial class PersistentStitchState : IStitchState
{
    /// <summary>The default window of the cache, in traces (see <c>--derive-cache-traces</c>).</summary>
    public const int DefaultCacheTraces = 10_000;

    private readonly IStitchStore _store;
    private readonly StitchCache _cache;
    private readonly CommittedStitchReads _committed;

    // The overlay. Each map holds the new value of what this derivation changed (null: removed); the Previous maps
    // hold the committed value at the first change, so that folding knows which cached index entries to update.
    private readonly Dictionary<UInt128, Dictionary<ulong, SpanFacts>> _traceSpans = [];
    private readonly List<SpanFacts> _addedSpans = [];
    private long? _forgetBefore;
    private readonly Dictionary<InvocationId, Invocation?> _invocations = [];
    private readonly Dictionary<InvocationId, Invocation?> _previousInvocations = [];
    private readonly MultiMap<UInt128, InvocationId> _traceIndex = new();
    private readonly MultiMap<StitchKeyRef, InvocationId> _keyIndex = new();
    private readonly Dictionary<(InvocationId From, InvocationId To), Hop?> _hops = [];
    private readonly MultiMap<InvocationId, InvocationId> _hopsByTo = new();
    private readonly MultiMap<InvocationId, InvocationId> _hopsByFrom = new();
    private readonly Dictionary<InvocationId, HashSet<InvocationId>?> _members = [];
    private readonly Dictionary<InvocationId, HashSet<InvocationId>?> _previousMembers = [];
    private readonly MultiMap<InvocationId, InvocationId> _memberOf = new();
    private readonly Dictionary<InvocationId, TransactionSummary?> _summaries = [];

    /// <param name="store">Where the state lives.</param>
    /// <param name="cacheTraces">The cache window in traces (and <see cref="StitchCache.PerTrace"/> times as many invocations).</param>
    /// <param name="readersFillCache">
    /// False where another process derives the state (a query process of a shared database): this one folds no commit
    /// into the cache, so what readers put there would go stale; they read the store every time.
    /// </param>
    public PersistentStitchState(IStitchStore store, int cacheTraces = DefaultCacheTraces, bool readersFillCache = true)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _cache = new StitchCache(cacheTraces);
        _committed = new CommittedStitchReads(_cache, store, fillCache: true);
        ReadView = new StitchReadView(new CommittedStitchReads(_cache, store, fillCache: false, readerFills: readersFillCache));
    }

    public IStitchState ReadView { get; }

    /// <summary>The watermark of the committed state: the highest span commit sequence derived into it.</summary>
    public long ReadWatermark() => _store.ReadWatermark();

    public bool TryAddSpan(SpanFacts span)
    {
        ArgumentNullException.ThrowIfNull(span);
        var trace = OverlaySpans(span.TraceId);
        if (!trace.TryAdd(span.SpanId, span))
            return false;
        _addedSpans.Add(span);
        return true;
    }

    public IReadOnlyDictionary<ulong, SpanFacts> TraceSpans(UInt128 traceId) => OverlaySpans(traceId);

    /// <summary>The trace's spans as this derivation sees them, built once per derivation and then kept current.</summary>
    private Dictionary<ulong, SpanFacts> OverlaySpans(UInt128 traceId)
    {
        if (_traceSpans.TryGetValue(traceId, out var spans))
            return spans;
        spans = _committed.Spans(traceId);
        if (_forgetBefore is { } cutoff)
        {
            foreach (var old in spans.Values.Where(s => s.StartTimeUnixNano < cutoff).ToList())
                spans.Remove(old.SpanId);
        }
        return _traceSpans[traceId] = spans;
    }

    public IReadOnlyCollection<UInt128> RemoveSpansStartedBefore(long cutoffUnixNano)
    {
        var traces = _store.TracesWithSpansStartedBefore(cutoffUnixNano).ToHashSet();
        traces.UnionWith(_addedSpans.Where(s => s.StartTimeUnixNano < cutoffUnixNano).Select(s => s.TraceId));
        _forgetBefore = Math.Max(_forgetBefore ?? long.MinValue, cutoffUnixNano);
        _addedSpans.RemoveAll(s => s.StartTimeUnixNano < cutoffUnixNano);
        foreach (var spans in _traceSpans.Values)
        {
            foreach (var old in spans.Values.Where(s => s.StartTimeUnixNano < cutoffUnixNano).ToList())
                spans.Remove(old.SpanId);
        }
        return traces;
    }

    public Invocation? GetInvocation(InvocationId id) =>
        _invocations.TryGetValue(id, out var changed) ? changed : _committed.Invocation(id);

    public IReadOnlyCollection<InvocationId> TraceInvocations(UInt128 traceId)
    {
        var ids = _committed.TraceInvocations(traceId);
        ids.RemoveWhere(_invocations.ContainsKey);
        ids.UnionWith(_traceIndex.Get(traceId));
        return ids;
    }

    public void PutInvocation(Invocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ChangeInvocation(invocation.Id, invocation);
    }

    public void RemoveInvocation(InvocationId id) => ChangeInvocation(id, null);

    private void ChangeInvocation(InvocationId id, Invocation? value)
    {
        if (!_previousInvocations.ContainsKey(id))
            _previousInvocations[id] = _committed.Invocation(id);
        if (_invocations.GetValueOrDefault(id) is { } before)
            IndexOverlay(before, present: false);
        _invocations[id] = value;
        if (value is not null)
            IndexOverlay(value, present: true);
    }

    private void IndexOverlay(Invocation invocation, bool present)
    {
        _traceIndex.Set(invocation.TraceId, invocation.Id, present);
        foreach (var key in Keys(invocation))
            _keyIndex.Set(key, invocation.Id, present);
    }

    /// <summary>The invocations found by a key: the committed ones this derivation did not change, and its own.</summary>
    private HashSet<InvocationId> Keyed(StitchKeyRef key)
    {
        var ids = _committed.Keyed(key);
        ids.RemoveWhere(_invocations.ContainsKey);
        ids.UnionWith(_keyIndex.Get(key));
        return ids;
    }

    public IReadOnlyCollection<InvocationId> InvocationsByRequestId(string requestId) => Keyed(RequestId(requestId));

    public IReadOnlyCollection<ProducerRef> Producers(string key) => KeyedRefs.Producers(Keyed(Outbound(key)), key, GetInvocation);

    public IReadOnlyCollection<InvocationId> Consumers(string key) => Keyed(Inbound(key));

    public IReadOnlyCollection<WriteRef> DynamoWrites(string table, string pair) =>
        KeyedRefs.Writes(Keyed(DynamoWrite(table, pair)), table, pair, GetInvocation);

    public IReadOnlyCollection<InvocationId> DynamoReaders(string table, string pair) => Keyed(DynamoRead(table, pair));

    public IReadOnlyCollection<Hop> Incoming(InvocationId to)
    {
        var hops = _committed.Incoming(to);
        foreach (var from in _hopsByTo.Get(to))
            Apply(hops, from, _hops[(from, to)]);
        return hops.Values;
    }

    public IReadOnlyCollection<Hop> Outgoing(InvocationId from)
    {
        var hops = _committed.Outgoing(from);
        foreach (var to in _hopsByFrom.Get(from))
            Apply(hops, to, _hops[(from, to)]);
        return hops.Values;
    }

    private static void Apply(Dictionary<InvocationId, Hop> hops, InvocationId other, Hop? hop)
    {
        if (hop is null)
            hops.Remove(other);
        else
            hops[other] = hop;
    }

    public void PutHop(Hop hop)
    {
        ArgumentNullException.ThrowIfNull(hop);
        ChangeHop(hop.From, hop.To, hop);
    }

    public void RemoveHop(InvocationId from, InvocationId to) => ChangeHop(from, to, null);

    private void ChangeHop(InvocationId from, InvocationId to, Hop? hop)
    {
        _hops[(from, to)] = hop;
        _hopsByTo.Add(to, from);
        _hopsByFrom.Add(from, to);
    }

    public IReadOnlyCollection<InvocationId>? Members(InvocationId entry) =>
        _members.TryGetValue(entry, out var changed) ? changed : _committed.Members(entry);

    public void SetMembers(InvocationId entry, IReadOnlyCollection<InvocationId> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        ChangeMembers(entry, [.. members]);
    }

    public void RemoveTransaction(InvocationId entry) => ChangeMembers(entry, null);

    private void ChangeMembers(InvocationId entry, HashSet<InvocationId>? members)
    {
        if (!_previousMembers.ContainsKey(entry))
            _previousMembers[entry] = _committed.Members(entry);
        if (_members.GetValueOrDefault(entry) is { } before)
        {
            foreach (var member in before)
                _memberOf.Remove(member, entry);
        }
        _members[entry] = members;
        foreach (var member in members ?? [])
            _memberOf.Add(member, entry);
    }

    public IReadOnlyCollection<InvocationId> TransactionsOf(InvocationId invocation)
    {
        var entries = _committed.TransactionsOf(invocation);
        entries.RemoveWhere(_members.ContainsKey);
        entries.UnionWith(_memberOf.Get(invocation));
        return entries;
    }

    public TransactionSummary? Summary(InvocationId entry) =>
        _summaries.TryGetValue(entry, out var changed) ? changed : _committed.Summary(entry);

    public void PutSummary(TransactionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        _summaries[summary.EntryInvocation] = summary;
    }

    public void RemoveSummary(InvocationId entry) => _summaries[entry] = null;

    /// <summary>The committed list with this derivation's summaries in place of the ones it changed.</summary>
    public IReadOnlyList<TransactionSummary> ListSummaries(TransactionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var limit = (int)Math.Min((long)filter.Limit + _summaries.Count, int.MaxValue);
        return
        [
            .. _store.ListTransactions(StitchRowMapping.Query(filter, limit)).Select(StitchRowMapping.Summary)
                .Where(s => !_summaries.ContainsKey(s.EntryInvocation))
                .Concat(_summaries.Values.OfType<TransactionSummary>().Where(filter.Admits))
                .Order(TransactionSummaryOrder.LatestFirst)
                .Take(filter.Limit),
        ];
    }
}
