using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// The span details of recently derived traces, least recently used evicted first, at most
/// <see cref="Configuration.AnalysisOptions.DetailsCacheTraces"/> traces. A trace that is not cached is read back from
/// the span store (all of it, one batched query per derivation) and reduced again, so the size changes speed, never
/// the answer. Used only under the derivation lock of <see cref="AnalysisState"/>.
/// </summary>
internal sealed class SpanDetailsCache(int capacity)
{
    private readonly Dictionary<UInt128, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();

    public int Count => _entries.Count;

    /// <summary>
    /// The details of every span of each trace touched by <paramref name="spans"/>: cached traces get the new spans
    /// added; the others are read whole through <paramref name="readBack"/> (which already holds the new spans), except
    /// <paramref name="newTraces"/>: nothing of them was stored before these spans.
    /// </summary>
    public Dictionary<UInt128, Dictionary<ulong, SpanDetails>> Collect(IReadOnlyList<SpanRecord> spans, SpanDetailsReader reader,
        IReadOnlySet<UInt128>? newTraces,
        Func<IReadOnlyCollection<UInt128>, IReadOnlyDictionary<UInt128, IReadOnlyList<SpanRecord>>> readBack)
    {
        var traces = new Dictionary<UInt128, Dictionary<ulong, SpanDetails>>();
        var missing = new HashSet<UInt128>();
        foreach (var span in spans)
        {
            if (traces.ContainsKey(span.TraceId) || missing.Contains(span.TraceId))
                continue;
            if (_entries.TryGetValue(span.TraceId, out var node))
            {
                traces[span.TraceId] = node.Value.Spans;
                _recency.Remove(node);
                _recency.AddFirst(node);
            }
            else if (newTraces?.Contains(span.TraceId) == true)
            {
                var details = new Dictionary<ulong, SpanDetails>();
                traces[span.TraceId] = details;
                Add(new Entry(span.TraceId, details));
            }
            else
            {
                missing.Add(span.TraceId);
            }
        }
        if (missing.Count > 0)
        {
            var stored = readBack(missing);
            foreach (var traceId in missing)
            {
                var details = new Dictionary<ulong, SpanDetails>();
                foreach (var span in stored.GetValueOrDefault(traceId) ?? [])
                    details.TryAdd(span.SpanId, reader.Read(span));
                traces[traceId] = details;
                Add(new Entry(traceId, details));
            }
        }
        foreach (var span in spans)
        {
            var details = traces[span.TraceId];
            if (!details.ContainsKey(span.SpanId))
                details[span.SpanId] = reader.Read(span);
        }
        return traces;
    }

    /// <summary>Drops every cached trace holding a span that started before the cutoff (it is read back when touched again).</summary>
    public void ForgetStartedBefore(long cutoffUnixNano)
    {
        foreach (var (traceId, node) in _entries.Where(e => e.Value.Value.Spans.Values.Any(s => s.StartTimeUnixNano < cutoffUnixNano)).ToList())
        {
            _recency.Remove(node);
            _entries.Remove(traceId);
        }
    }

    private void Add(Entry entry)
    {
        if (capacity <= 0)
            return;
        _entries[entry.TraceId] = _recency.AddFirst(entry);
        while (_entries.Count > capacity)
        {
            var last = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(last.Value.TraceId);
        }
    }

    private sealed record Entry(UInt128 TraceId, Dictionary<ulong, SpanDetails> Spans);
}
