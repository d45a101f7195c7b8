using Threadline.Storage.Derived.Stitching;
using static Threadline.Stitching.Persistence.StitchRowMapping;

namespace Threadline.Stitching.Persistence;

/// <summary>
/// Reads of the committed stitch state: the cache, else the store (batched: one query per call, whatever the
/// number of ids). Every answer is a fresh collection the caller may keep. The writer (<paramref name="fillCache"/>)
/// always fills the cache: it is the only one that commits, so what it reads is never older than what it folds in. A
/// reader fills it only when no commit was folded in while it read (<see cref="CanFill"/>), so repeated reads (the
/// alert evaluation every 30 s, the UI) stop going to the store.
/// </summary>
internal sealed class CommittedStitchReads(StitchCache cache, IStitchStore store, bool fillCache, bool readerFills = true)
{
    public IStitchStore Store => store;

    public Dictionary<ulong, SpanFacts> Spans(UInt128 traceId) => Get(cache.Spans, traceId, LoadSpans);

    public Invocation? Invocation(InvocationId id) => KnownAbsent(id) ? null : Get(cache.Invocations, id, LoadInvocations);

    public HashSet<InvocationId> TraceInvocations(UInt128 traceId) => Get(cache.TraceInvocations, traceId, LoadTraceInvocations);

    public HashSet<InvocationId> Keyed(StitchKeyRef key) => Get(cache.Keys, key, LoadKeys);

    public Dictionary<InvocationId, Hop> Incoming(InvocationId to) => KnownAbsent(to) ? [] : Get(cache.Incoming, to, LoadIncoming);

    public Dictionary<InvocationId, Hop> Outgoing(InvocationId from) => KnownAbsent(from) ? [] : Get(cache.Outgoing, from, LoadOutgoing);

    public HashSet<InvocationId>? Members(InvocationId entry) => KnownAbsent(entry) ? null : Get(cache.Members, entry, LoadMembers);

    public HashSet<InvocationId> TransactionsOf(InvocationId member) => KnownAbsent(member) ? [] : Get(cache.TransactionsOf, member, LoadTransactionsOf);

    public TransactionSummary? Summary(InvocationId entry) => KnownAbsent(entry) ? null : Get(cache.Summaries, entry, LoadSummaries);

    /// <summary>The members of many transactions (none: absent), the cache's and one batched read for the rest.</summary>
    public Dictionary<InvocationId, IReadOnlyCollection<InvocationId>> MembersOf(IReadOnlyCollection<InvocationId> entries)
    {
        var found = new Dictionary<InvocationId, IReadOnlyCollection<InvocationId>>();
        foreach (var (entry, members) in GetMany(cache.Members, entries, LoadMembers))
        {
            if (members is not null)
                found[entry] = members;
        }
        return found;
    }

    /// <summary>The transactions of many invocations, the cache's and one batched read for the rest.</summary>
    public Dictionary<InvocationId, HashSet<InvocationId>> TransactionsOfMany(IReadOnlyCollection<InvocationId> members) =>
        GetMany(cache.TransactionsOf, members, LoadTransactionsOf);

    /// <summary>The invocation ids of many traces, the cache's and one batched read for the rest.</summary>
    public Dictionary<UInt128, HashSet<InvocationId>> TraceInvocationsOfMany(IReadOnlyCollection<UInt128> traceIds) =>
        GetMany(cache.TraceInvocations, traceIds, LoadTraceInvocations);

    /// <summary>Many invocations (null: not committed), the cache's and one batched read for the rest.</summary>
    public Dictionary<InvocationId, Invocation?> InvocationsOfMany(IReadOnlyCollection<InvocationId> ids) =>
        GetMany(cache.Invocations, ids, LoadInvocations);

    /// <summary>The invocations of many keys, the cache's and one batched read for the rest.</summary>
    public Dictionary<StitchKeyRef, HashSet<InvocationId>> KeyedMany(IReadOnlyCollection<StitchKeyRef> keys) =>
        GetMany(cache.Keys, keys, LoadKeys);

    /// <summary>
    /// Whether the cached (complete) list of the invocation's trace says it is not a committed invocation: then it has
    /// no hops, memberships, transaction or summary either, and the store is not asked. Most of what an ingest looks
    /// up is about invocations it is creating, so this spares a point read per new invocation and per question.
    /// </summary>
    private bool KnownAbsent(InvocationId id)
    {
        lock (cache.Sync)
            return cache.TraceInvocations.TryPeek(id.TraceId, out var ofTrace) && !ofTrace.Contains(id);
    }

    /// <summary>The spans and invocations of these traces into the cache, in two queries for those not there.</summary>
    public void WarmTraces(IReadOnlyCollection<UInt128> traceIds)
    {
        Warm(cache.Spans, traceIds, LoadSpans);
        Warm(cache.TraceInvocations, traceIds, LoadTraceInvocations);
    }

    public void WarmInvocations(IReadOnlyCollection<InvocationId> ids) => Warm(cache.Invocations, ids, LoadInvocations);

    public void WarmKeys(IReadOnlyCollection<StitchKeyRef> keys) => Warm(cache.Keys, keys, LoadKeys);

    public void WarmHops(IReadOnlyCollection<InvocationId> ids)
    {
        Warm(cache.Incoming, ids, LoadIncoming);
        Warm(cache.Outgoing, ids, LoadOutgoing);
    }

    public void WarmTransactionsOf(IReadOnlyCollection<InvocationId> ids) => Warm(cache.TransactionsOf, ids, LoadTransactionsOf);

    private TValue Get<TKey, TValue>(LruMap<TKey, TValue> map, TKey key, Func<IReadOnlyCollection<TKey>, Dictionary<TKey, TValue>> load)
        where TKey : notnull
    {
        long folds;
        lock (cache.Sync)
        {
            if (map.TryGet(key, out var cached))
                return Copy(cached);
            folds = cache.Folds;
        }
        var loaded = load([key])[key];
        lock (cache.Sync)
        {
            if (CanFill(folds))
                map.Set(key, loaded);
        }
        return Copy(loaded);
    }

    /// <summary>
    /// Like <see cref="Get"/> for many keys: what the cache holds, and the rest in one batched load. What is loaded is
    /// not put in the cache: a report over many old transactions would evict the recent window the writer works in.
    /// </summary>
    private Dictionary<TKey, TValue> GetMany<TKey, TValue>(LruMap<TKey, TValue> map, IReadOnlyCollection<TKey> keys,
        Func<IReadOnlyCollection<TKey>, Dictionary<TKey, TValue>> load)
        where TKey : notnull
    {
        var found = new Dictionary<TKey, TValue>();
        var missing = new List<TKey>();
        lock (cache.Sync)
        {
            foreach (var key in keys.Distinct())
            {
                if (map.TryPeek(key, out var cached))
                    found[key] = Copy(cached);
                else
                    missing.Add(key);
            }
        }
        if (missing.Count == 0)
            return found;
        foreach (var (key, value) in load(missing))
            found[key] = value;
        return found;
    }

    /// <summary>
    /// The writer always fills the cache (it is the only one that commits). A reader fills it only when no commit was
    /// folded in since it started reading: what it read is then at least as new as the cache (a commit written but not
    /// yet folded is folded over it, and folding is idempotent); never when <c>readerFills</c> is false (another process
    /// commits). Call under <see cref="StitchCache.Sync"/>.
    /// </summary>
    private bool CanFill(long foldsAtStart) => fillCache || (readerFills && cache.Folds == foldsAtStart);

    /// <summary>
    /// Cached collections are never handed out: a reader must not see the writer fold a commit into a set it iterates.
    /// </summary>
    private static TValue Copy<TValue>(TValue value) => value switch
    {
        HashSet<InvocationId> set => (TValue)(object)new HashSet<InvocationId>(set),
        Dictionary<ulong, SpanFacts> spans => (TValue)(object)new Dictionary<ulong, SpanFacts>(spans),
        Dictionary<InvocationId, Hop> hops => (TValue)(object)new Dictionary<InvocationId, Hop>(hops),
        _ => value,
    };

    private void Warm<TKey, TValue>(LruMap<TKey, TValue> map, IReadOnlyCollection<TKey> keys, Func<IReadOnlyCollection<TKey>, Dictionary<TKey, TValue>> load)
        where TKey : notnull
    {
        List<TKey> missing;
        long folds;
        lock (cache.Sync)
        {
            missing = [.. keys.Distinct().Where(k => !map.ContainsKey(k))];
            folds = cache.Folds;
        }
        if (missing.Count == 0)
            return;
        var loaded = load(missing);
        lock (cache.Sync)
        {
            if (!CanFill(folds))
                return;
            foreach (var (key, value) in loaded)
                map.Set(key, value);
        }
    }

    private Dictionary<UInt128, Dictionary<ulong, SpanFacts>> LoadSpans(IReadOnlyCollection<UInt128> traceIds)
    {
        var found = traceIds.Distinct().ToDictionary(t => t, _ => new Dictionary<ulong, SpanFacts>());
        foreach (var row in store.LoadSpans(traceIds))
            found[row.TraceId][row.SpanId] = Facts(row);
        return found;
    }

    private Dictionary<InvocationId, Invocation?> LoadInvocations(IReadOnlyCollection<InvocationId> ids)
    {
        var found = ids.Distinct().ToDictionary(i => i, _ => (Invocation?)null);
        foreach (var row in store.LoadInvocations([.. ids.Select(Row)]))
            found[Id(row.Id)] = StitchRowMapping.Invocation(row);
        return found;
    }

    /// <summary>Also caches the invocations themselves: the engine reads them right after their trace's list.</summary>
    private Dictionary<UInt128, HashSet<InvocationId>> LoadTraceInvocations(IReadOnlyCollection<UInt128> traceIds)
    {
        var found = traceIds.Distinct().ToDictionary(t => t, _ => new HashSet<InvocationId>());
        long folds;
        lock (cache.Sync)
            folds = cache.Folds;
        var invocations = store.LoadInvocationsOfTraces(traceIds).Select(StitchRowMapping.Invocation).ToList();
        foreach (var invocation in invocations)
            found[invocation.TraceId].Add(invocation.Id);
        lock (cache.Sync)
        {
            if (CanFill(folds))
            {
                foreach (var invocation in invocations)
                    cache.Invocations.Set(invocation.Id, invocation);
            }
        }
        return found;
    }

    private Dictionary<StitchKeyRef, HashSet<InvocationId>> LoadKeys(IReadOnlyCollection<StitchKeyRef> keys)
    {
        var found = keys.Distinct().ToDictionary(k => k, _ => new HashSet<InvocationId>());
        foreach (var match in store.FindKeys(keys))
            found[match.Key].Add(Id(match.Invocation));
        return found;
    }

    private Dictionary<InvocationId, Dictionary<InvocationId, Hop>> LoadIncoming(IReadOnlyCollection<InvocationId> ids)
    {
        var found = ids.Distinct().ToDictionary(i => i, _ => new Dictionary<InvocationId, Hop>());
        foreach (var hop in store.LoadHopsInto([.. ids.Select(Row)]).Select(StitchRowMapping.Hop))
            found[hop.To][hop.From] = hop;
        return found;
    }

    private Dictionary<InvocationId, Dictionary<InvocationId, Hop>> LoadOutgoing(IReadOnlyCollection<InvocationId> ids)
    {
        var found = ids.Distinct().ToDictionary(i => i, _ => new Dictionary<InvocationId, Hop>());
        foreach (var hop in store.LoadHopsOutOf([.. ids.Select(Row)]).Select(StitchRowMapping.Hop))
            found[hop.From][hop.To] = hop;
        return found;
    }

    private Dictionary<InvocationId, HashSet<InvocationId>?> LoadMembers(IReadOnlyCollection<InvocationId> entries)
    {
        var found = entries.Distinct().ToDictionary(e => e, _ => (HashSet<InvocationId>?)null);
        foreach (var row in store.LoadMembers([.. entries.Select(Row)]))
            (found[Id(row.Entry)] ??= []).Add(Id(row.Member));
        return found;
    }

    private Dictionary<InvocationId, HashSet<InvocationId>> LoadTransactionsOf(IReadOnlyCollection<InvocationId> members)
    {
        var found = members.Distinct().ToDictionary(m => m, _ => new HashSet<InvocationId>());
        foreach (var row in store.LoadTransactionsOf([.. members.Select(Row)]))
            found[Id(row.Member)].Add(Id(row.Entry));
        return found;
    }

    private Dictionary<InvocationId, TransactionSummary?> LoadSummaries(IReadOnlyCollection<InvocationId> entries)
    {
        var found = entries.Distinct().ToDictionary(e => e, _ => (TransactionSummary?)null);
        foreach (var row in store.LoadTransactions([.. entries.Select(Row)]))
            found[Id(row.Entry)] = StitchRowMapping.Summary(row);
        return found;
    }
}
