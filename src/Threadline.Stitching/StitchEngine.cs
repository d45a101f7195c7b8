using System.Diagnostics.Metrics;
using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>
/// Joins invocations into transactions, incrementally: <see cref="Ingest"/> takes each batch of newly stored spans
/// and updates the invocations, hops and transactions in <see cref="IStitchState"/>. Every derived fact is a pure
/// function of the spans seen so far, so the answer is the same whatever the arrival order and batching.
/// Thread-safe: ingestions are serialized; queries read the state's read view when it has one (a store-backed state:
/// they never wait for an ingest), else they are serialized with ingestion.
/// </summary>
public sealed partial class StitchEngine
{
    private static readonly Meter Meter = new("Threadline.Stitching");
    private static readonly Histogram<double> LagHistogram = Meter.CreateHistogram<double>(
        "threadline.stitch.lag", "ms", "Time from both sides of a hop having arrived to the hop being linked.");

    private readonly IStitchState _state;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public StitchEngine(IStitchState? state = null, TimeProvider? time = null)
    {
        _state = state ?? new InMemoryStitchState();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Takes a batch of newly stored spans (any traces, any order; repeated spans are ignored).</summary>
    public StitchResult Ingest(IReadOnlyList<SpanRecord> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        lock (_lock)
        {
            var batch = new Batch(_time.GetUtcNow());
            var facts = spans.Select(SpanFactsReader.Read).ToList();
            _state.Prefetch(facts);
            var newTraces = facts.Select(s => s.TraceId).Distinct().Where(t => _state.TraceSpans(t).Count == 0).ToHashSet();
            var traces = new HashSet<UInt128>();
            foreach (var span in facts)
            {
                if (_state.TryAddSpan(span))
                    traces.Add(span.TraceId);
            }
            foreach (var traceId in traces)
                ReExtract(traceId, batch);
            return Settle(batch) with { NewTraces = newTraces };
        }
    }

    /// <summary>Links the consumers the batch made dirty again and updates the transactions it touched.</summary>
    private StitchResult Settle(Batch batch)
    {
        foreach (var consumer in batch.Dirty)
        {
            if (_state.GetInvocation(consumer) is { } invocation)
                Relink(invocation, batch);
        }
        UpdateTransactions(batch);
        return batch.Result();
    }

    /// <summary>Derives the invocations of one trace again and stores those whose spans changed.</summary>
    private void ReExtract(UInt128 traceId, Batch batch)
    {
        var extracted = InvocationExtractor.Extract(_state.TraceSpans(traceId));
        var ids = extracted.Select(i => i.Id).ToHashSet();
        foreach (var staleId in _state.TraceInvocations(traceId).Where(id => !ids.Contains(id)).ToList())
        {
            var stale = _state.GetInvocation(staleId)!;
            MarkDirty(stale, batch);
            foreach (var hop in _state.Incoming(staleId).Concat(_state.Outgoing(staleId)).ToList())
                Unlink(hop, batch);
            _state.RemoveInvocation(staleId);
            batch.Removed.Add(staleId);
            batch.Touched.Add(staleId);
        }
        foreach (var invocation in extracted)
        {
            var previous = _state.GetInvocation(invocation.Id);
            if (previous is not null && previous.SpanIds.SequenceEqual(invocation.SpanIds))
                continue;
            if (previous is not null)
                MarkDirty(previous, batch);
            var current = invocation with { FirstSeen = previous?.FirstSeen ?? batch.Now };
            _state.PutInvocation(current);
            MarkDirty(current, batch);
            batch.Changed.Add(current.Id);
            batch.Touched.Add(current.Id);
        }
    }

    /// <summary>The invocation and every consumer whose incoming hops may depend on what it produces.</summary>
    private void MarkDirty(Invocation invocation, Batch batch)
    {
        batch.Dirty.Add(invocation.Id);
        foreach (var key in invocation.Outbound)
            batch.Dirty.UnionWith(_state.Consumers(key.Key));
        foreach (var write in invocation.Writes)
        {
            foreach (var pair in write.Pairs)
                batch.Dirty.UnionWith(_state.DynamoReaders(write.Table, pair));
        }
    }

    private void Unlink(Hop hop, Batch batch)
    {
        _state.RemoveHop(hop.From, hop.To);
        batch.Unlinked.Add((hop.From, hop.To));
        batch.Touched.Add(hop.From);
        batch.Touched.Add(hop.To);
    }

    /// <summary>Everything one <see cref="Ingest"/> call accumulates.</summary>
    private sealed class Batch(DateTimeOffset now)
    {
        public DateTimeOffset Now { get; } = now;
        public HashSet<InvocationId> Dirty { get; } = [];
        public HashSet<InvocationId> Touched { get; } = [];
        public List<InvocationId> Changed { get; } = [];
        public List<InvocationId> Removed { get; } = [];
        public List<Hop> Linked { get; } = [];
        public List<(InvocationId From, InvocationId To)> Unlinked { get; } = [];
        public List<string> ChangedTransactions { get; } = [];
        public List<string> RemovedTransactions { get; } = [];

        public StitchResult Result() => new(Changed, Removed, Linked, Unlinked, ChangedTransactions, RemovedTransactions);
    }
}
