using Threadline.Storage.Derived.Stitching;
using static Threadline.Stitching.Persistence.StitchRowMapping;

namespace Threadline.Stitching.Persistence;

public sealed partial class PersistentStitchState
{
    /// <summary>Whether the overlay holds changes not yet committed.</summary>
    public bool HasChanges =>
        _addedSpans.Count > 0 || _forgetBefore is not null || _invocations.Count > 0 || _hops.Count > 0 || _members.Count > 0 || _summaries.Count > 0;

    /// <summary>
    /// Writes this derivation's changes, with <paramref name="watermark"/> when given, in one store transaction, then
    /// folds them into the cache. When the store fails, the changes are dropped (the cache keeps the committed
    /// state) and the exception is thrown: the caller derives the same spans again later.
    /// </summary>
    public void Commit(long? watermark)
    {
        try
        {
            var delta = Delta(watermark);
            if (!delta.IsEmpty)
                _store.Commit(delta);
            Fold();
        }
        finally
        {
            Discard();
        }
    }

    /// <summary>Drops this derivation's changes (an ingest that failed half-way).</summary>
    public void Discard()
    {
        _traceSpans.Clear();
        _addedSpans.Clear();
        _forgetBefore = null;
        _invocations.Clear();
        _previousInvocations.Clear();
        _traceIndex.Clear();
        _keyIndex.Clear();
        _hops.Clear();
        _hopsByTo.Clear();
        _hopsByFrom.Clear();
        _members.Clear();
        _previousMembers.Clear();
        _memberOf.Clear();
        _summaries.Clear();
    }

    private StitchDelta Delta(long? watermark)
    {
        var transactionsPut = new List<StitchTransactionPut>();
        foreach (var (entry, members) in _members)
        {
            if (members is null)
                continue;
            var summary = _summaries.GetValueOrDefault(entry)
                ?? throw new InvalidOperationException($"Transaction {entry} changed its members without a summary.");
            // An entry that was not a committed invocation had no transaction either.
            var isNew = _previousInvocations.TryGetValue(entry, out var previous) && previous is null;
            transactionsPut.Add(new StitchTransactionPut(Row(summary), [.. members.Select(Row)]) { IsNew = isNew });
        }
        return new StitchDelta
        {
            SpansAdded = [.. _addedSpans.Select(Row)],
            SpansDeletedBefore = _forgetBefore,
            InvocationsPut = [.. _invocations.Values.OfType<Invocation>().Select(i => Put(i) with { IsNew = _previousInvocations[i.Id] is null })],
            InvocationsDeleted = [.. _invocations.Where(i => i.Value is null).Select(i => Row(i.Key))],
            HopsPut = [.. _hops.Values.OfType<Hop>().Select(Row)],
            HopsDeleted = [.. _hops.Where(h => h.Value is null).Select(h => (Row(h.Key.From), Row(h.Key.To)))],
            TransactionsPut = transactionsPut,
            TransactionsDeleted = [.. _members.Where(m => m.Value is null).Select(m => Row(m.Key))],
            Watermark = watermark,
        };
    }

    /// <summary>
    /// After the store committed: values keyed by what changed are now known exactly and replace the cached ones;
    /// cached index entries (complete sets) are updated in place; entries not cached stay out (the store has them).
    /// </summary>
    private void Fold()
    {
        lock (_cache.Sync)
        {
            _cache.Folds++;
            if (_forgetBefore is { } cutoff)
            {
                foreach (var spans in _cache.Spans.Values)
                {
                    foreach (var old in spans.Values.Where(s => s.StartTimeUnixNano < cutoff).ToList())
                        spans.Remove(old.SpanId);
                }
            }
            foreach (var (traceId, spans) in _traceSpans)
                _cache.Spans.Set(traceId, spans);

            foreach (var (id, invocation) in _invocations)
            {
                _cache.Invocations.Set(id, invocation);
                if (_previousInvocations[id] is null && invocation is not null)
                {
                    // A new invocation had no hops or memberships: start its cached lists empty, the loops below add
                    // what this derivation linked, so the readers right after (the analysis) find them cached.
                    if (!_cache.Incoming.ContainsKey(id))
                        _cache.Incoming.Set(id, []);
                    if (!_cache.Outgoing.ContainsKey(id))
                        _cache.Outgoing.Set(id, []);
                    if (!_cache.TransactionsOf.ContainsKey(id))
                        _cache.TransactionsOf.Set(id, []);
                }
                if (_cache.TraceInvocations.TryPeek(id.TraceId, out var ofTrace))
                {
                    if (invocation is null)
                        ofTrace.Remove(id);
                    else
                        ofTrace.Add(id);
                }
                if (_previousInvocations[id] is { } previous)
                {
                    foreach (var key in Keys(previous))
                    {
                        if (_cache.Keys.TryPeek(key, out var ids))
                            ids.Remove(id);
                    }
                }
                if (invocation is not null)
                {
                    foreach (var key in Keys(invocation))
                    {
                        if (_cache.Keys.TryPeek(key, out var ids))
                            ids.Add(id);
                    }
                }
            }

            foreach (var ((from, to), hop) in _hops)
            {
                if (_cache.Incoming.TryPeek(to, out var incoming))
                    Apply(incoming, from, hop);
                if (_cache.Outgoing.TryPeek(from, out var outgoing))
                    Apply(outgoing, to, hop);
            }

            foreach (var (entry, members) in _members)
            {
                _cache.Members.Set(entry, members);
                foreach (var member in _previousMembers[entry] ?? [])
                {
                    if (_cache.TransactionsOf.TryPeek(member, out var entries))
                        entries.Remove(entry);
                }
                foreach (var member in members ?? [])
                {
                    if (_cache.TransactionsOf.TryPeek(member, out var entries))
                        entries.Add(entry);
                }
            }
            foreach (var (entry, summary) in _summaries)
                _cache.Summaries.Set(entry, summary);
        }
    }
}
