using System.Collections.Concurrent;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// The analyzed invocations, in memory, indexed by trace, function and issue. Committed spans are queued by the
/// observer (cheap, on the writer loop) and applied by <see cref="Drain"/>, which the background loop and every read
/// call, so a read sees every acknowledged span. An invocation is re-derived from the stitcher whenever a span of
/// its trace arrives, so the answer does not depend on arrival order.
/// </summary>
public sealed class AnalysisState(StitchEngine engine, SpanDetailsReader reader, InvocationAnalyzer analyzer)
{
    private readonly ConcurrentQueue<IReadOnlyList<SpanRecord>> _pending = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, Dictionary<ulong, SpanDetails>> _spans = [];
    // The earliest span start of each trace, so that forgetting old spans looks only at the traces that have some.
    private readonly Dictionary<UInt128, long> _traceEarliestStart = [];
    private readonly Dictionary<UInt128, HashSet<InvocationId>> _byTrace = [];
    private readonly Dictionary<InvocationId, AnalyzedInvocation> _invocations = [];
    private readonly Dictionary<string, HashSet<InvocationId>> _byFunction = [];
    private readonly Dictionary<string, HashSet<InvocationId>> _byIssue = [];
    // Batch consumers by the keys of the records they consumed: a record's deliveries (and its dead-letter consumer).
    private readonly Dictionary<string, HashSet<InvocationId>> _byRecord = new(StringComparer.Ordinal);
    // Consumers of on-failure destinations by the stream shards (stream/shardId) whose dropped records they received.
    private readonly Dictionary<string, HashSet<InvocationId>> _bySkippedShard = new(StringComparer.Ordinal);
    public StitchEngine Engine => engine;

    public void Enqueue(IReadOnlyList<SpanRecord> spans)
    {
        if (spans.Count > 0)
            _pending.Enqueue(spans);
    }

    /// <summary>Applies every queued span.</summary>
    public void Drain()
    {
        lock (_gate)
            ApplyPending();
    }

    /// <summary>Applies every queued span; the caller holds the gate.</summary>
    private void ApplyPending()
    {
        while (_pending.TryDequeue(out var spans))
            Apply(spans);
    }

    private void Apply(IReadOnlyList<SpanRecord> spans)
    {
        var traces = new HashSet<UInt128>();
        foreach (var span in spans)
        {
            if (!_spans.TryGetValue(span.TraceId, out var trace))
                _spans[span.TraceId] = trace = [];
            if (!trace.TryAdd(span.SpanId, reader.Read(span)))
                continue;
            traces.Add(span.TraceId);
            if (!_traceEarliestStart.TryGetValue(span.TraceId, out var earliest) || span.StartTimeUnixNano < earliest)
                _traceEarliestStart[span.TraceId] = span.StartTimeUnixNano;
        }
        foreach (var traceId in traces)
            Rederive(traceId);
    }

    /// <summary>
    /// The store deleted every span that started before the cutoff and the stitcher forgot them: drops their details
    /// and derives the affected traces again (an issue whose occurrences are all gone disappears).
    /// </summary>
    public void ForgetSpansStartedBefore(long cutoffUnixNano)
    {
        lock (_gate)
        {
            ApplyPending();
            foreach (var traceId in _traceEarliestStart.Where(t => t.Value < cutoffUnixNano).Select(t => t.Key).ToList())
            {
                var trace = _spans[traceId];
                foreach (var old in trace.Values.Where(s => s.StartTimeUnixNano < cutoffUnixNano).Select(s => s.SpanId).ToList())
                    trace.Remove(old);
                Rederive(traceId);
                if (trace.Count > 0)
                {
                    _traceEarliestStart[traceId] = trace.Values.Min(s => s.StartTimeUnixNano);
                    continue;
                }
                _spans.Remove(traceId);
                _byTrace.Remove(traceId);
                _traceEarliestStart.Remove(traceId);
            }
        }
    }

    private void Rederive(UInt128 traceId)
    {
        var current = engine.FindByTraceId(traceId);
        var previous = _byTrace.GetValueOrDefault(traceId) ?? [];
        foreach (var gone in previous.Except(current.Select(i => i.Id)).ToList())
            Remove(gone);
        var ids = new HashSet<InvocationId>();
        foreach (var invocation in current)
        {
            Remove(invocation.Id);
            var analyzed = analyzer.Analyze(invocation, _spans[traceId]);
            _invocations[invocation.Id] = analyzed;
            Index(_byFunction, analyzed.Function, invocation.Id);
            if (analyzed.Failure is { } failure)
                Index(_byIssue, failure.IssueId, invocation.Id);
            foreach (var key in analyzed.Batch.Records.SelectMany(r => r.Keys).Concat(analyzed.DroppedKeys))
                Index(_byRecord, key, invocation.Id);
            foreach (var shard in analyzed.SkippedRanges.Select(r => r.Shard).Distinct(StringComparer.Ordinal))
                Index(_bySkippedShard, shard, invocation.Id);
            ids.Add(invocation.Id);
        }
        _byTrace[traceId] = ids;
    }

    private void Remove(InvocationId id)
    {
        if (!_invocations.Remove(id, out var old))
            return;
        Unindex(_byFunction, old.Function, id);
        if (old.Failure is { } failure)
            Unindex(_byIssue, failure.IssueId, id);
        foreach (var key in old.Batch.Records.SelectMany(r => r.Keys).Concat(old.DroppedKeys))
            Unindex(_byRecord, key, id);
        foreach (var shard in old.SkippedRanges.Select(r => r.Shard).Distinct(StringComparer.Ordinal))
            Unindex(_bySkippedShard, shard, id);
    }

    private static void Index(Dictionary<string, HashSet<InvocationId>> index, string key, InvocationId id)
    {
        if (!index.TryGetValue(key, out var set))
            index[key] = set = [];
        set.Add(id);
    }

    private static void Unindex(Dictionary<string, HashSet<InvocationId>> index, string key, InvocationId id)
    {
        if (index.TryGetValue(key, out var set) && set.Remove(id) && set.Count == 0)
            index.Remove(key);
    }

    /// <summary>Runs a read over a consistent view, after applying what is queued.</summary>
    public T Read<T>(Func<IAnalysisView, T> read)
    {
        lock (_gate)
        {
            ApplyPending();
            return read(new View(this));
        }
    }

    private sealed class View(AnalysisState state) : IAnalysisView
    {
        public StitchEngine Engine => state.Engine;

        public IEnumerable<AnalyzedInvocation> All => state._invocations.Values;

        public IEnumerable<string> Functions => state._byFunction.Keys;

        public IEnumerable<string> IssueIds => state._byIssue.Keys;

        public AnalyzedInvocation? Get(InvocationId id) => state._invocations.GetValueOrDefault(id);

        public IReadOnlyList<AnalyzedInvocation> OfFunction(string function) => Load(state._byFunction.GetValueOrDefault(function));

        public IReadOnlyList<AnalyzedInvocation> OfIssue(string issueId) => Load(state._byIssue.GetValueOrDefault(issueId));

        public IReadOnlyList<AnalyzedInvocation> OfRecord(string key) => Load(state._byRecord.GetValueOrDefault(key));

        public IReadOnlyList<AnalyzedInvocation> OfSkippedShard(string shard) => Load(state._bySkippedShard.GetValueOrDefault(shard));

        private List<AnalyzedInvocation> Load(HashSet<InvocationId>? ids) =>
            ids is null ? [] : [.. ids.Select(id => state._invocations[id]).OrderBy(i => i.StartTimeUnixNano).ThenBy(i => i.Id)];
    }
}

/// <summary>A consistent read of the analyzed invocations (valid only inside <see cref="AnalysisState.Read{T}"/>).</summary>
public interface IAnalysisView
{
    StitchEngine Engine { get; }
    IEnumerable<AnalyzedInvocation> All { get; }
    IEnumerable<string> Functions { get; }
    IEnumerable<string> IssueIds { get; }
    AnalyzedInvocation? Get(InvocationId id);
    /// <summary>In start order.</summary>
    IReadOnlyList<AnalyzedInvocation> OfFunction(string function);
    /// <summary>The failed invocations of an issue, in start order.</summary>
    IReadOnlyList<AnalyzedInvocation> OfIssue(string issueId);
    /// <summary>
    /// The batch consumers that consumed a record with this key (its deliveries), and the consumers of on-failure
    /// destinations that received it as a dropped async event, in start order.
    /// </summary>
    IReadOnlyList<AnalyzedInvocation> OfRecord(string key);
    /// <summary>The consumers of on-failure destinations that received dropped records of this shard (<c>stream/shardId</c>), in start order.</summary>
    IReadOnlyList<AnalyzedInvocation> OfSkippedShard(string shard);
}
