using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>
/// The stored spans and logs of recently derived traces, least recently used evicted first, at most a given number of
/// records in all. A trace that is not cached is read back from the span store (one batched query for the spans and
/// one for the logs per derivation), so the size changes speed, never the answer. Each cached trace holds every span and
/// log stored for it by the time it was read back or by a commit derived live since (the catch-up, which derives commits
/// this process may not have seen, reads its traces back). Used only under the search derivation's lock.
/// </summary>
internal sealed class SearchTraceCache(int capacity)
{
    private readonly Dictionary<UInt128, LinkedListNode<CachedTrace>> _entries = [];
    private readonly LinkedList<CachedTrace> _recency = new();
    private int _records;

    public bool TryGet(UInt128 traceId, out CachedTrace trace)
    {
        if (_entries.TryGetValue(traceId, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            trace = node.Value;
            return true;
        }
        trace = null!;
        return false;
    }

    /// <summary>Caches (or re-counts, after records were added to it) a trace, then evicts the least recently used
    /// others while over capacity; a trace larger than the whole capacity is not kept.</summary>
    public void Put(CachedTrace trace)
    {
        if (_entries.Remove(trace.TraceId, out var old))
        {
            _recency.Remove(old);
            _records -= old.Value.CountedRecords;
        }
        trace.CountedRecords = trace.Records;
        _entries[trace.TraceId] = _recency.AddFirst(trace);
        _records += trace.CountedRecords;
        while (_records > capacity && _recency.Last is { } last)
        {
            _recency.RemoveLast();
            _entries.Remove(last.Value.TraceId);
            _records -= last.Value.CountedRecords;
        }
    }

    public void Clear()
    {
        _entries.Clear();
        _recency.Clear();
        _records = 0;
    }
}

/// <summary>
/// Every span (first stored copy of each id) stored for one trace, and every log record stored for it within
/// [<see cref="LogsFrom"/>, <see cref="LogsTo"/>) plus those committed since it was read.
/// </summary>
internal sealed class CachedTrace(UInt128 traceId)
{
    public UInt128 TraceId { get; } = traceId;

    public Dictionary<ulong, SpanRecord> Spans { get; } = [];

    public List<LogRecord> Logs { get; } = [];

    public long LogsFrom { get; private set; } = long.MaxValue;

    public long LogsTo { get; private set; } = long.MinValue;

    public int Records => Spans.Count + Logs.Count;

    internal int CountedRecords { get; set; }

    public void LogsRead(long from, long to) => (LogsFrom, LogsTo) = (from, to);

    /// <summary>Whether the logs held cover the margin around the trace's spans and <paramref name="more"/> spans.</summary>
    public bool LogsCover(IEnumerable<SpanRecord> more, long margin)
    {
        foreach (var span in Spans.Values.Concat(more))
        {
            if (span.StartTimeUnixNano - margin < LogsFrom || span.EndTimeUnixNano + margin > LogsTo)
                return false;
        }
        return true;
    }
}
