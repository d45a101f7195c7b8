using Threadline.Storage.Derived.Stitching;
using static Threadline.Stitching.Persistence.StitchRowMapping;

namespace Threadline.Stitching.Persistence;

public sealed partial class PersistentStitchState
{
    /// <summary>
    /// Loads into the cache, in a handful of batched queries, what deriving these spans reads: their traces' spans and
    /// invocations, the invocations sharing a key with them (producers of what they consumed, consumers of what they
    /// produced, DynamoDB writers and stream readers), and the hops and memberships of all of those. What a batch
    /// reaches beyond that (a transaction's closure) is read point by point.
    /// </summary>
    public void Prefetch(IReadOnlyList<SpanFacts> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
            return;
        var traces = spans.Select(s => s.TraceId).ToHashSet();
        _committed.WarmTraces(traces);
        var ofTraces = traces.SelectMany(_committed.TraceInvocations).ToHashSet();
        var keys = new HashSet<StitchKeyRef>();
        foreach (var span in spans)
        {
            // The keys every invocation derives from its spans beyond their own facts (InvocationExtractor): each
            // span's reference as an outbound key (its consumers are marked dirty), the root's parent and Lambda
            // request id as inbound keys (their producers are linked).
            keys.Add(Inbound(CorrelationKeys.ForSpan(span.TraceId, span.SpanId)));
            if (span.ParentSpanId != 0)
                keys.Add(Outbound(CorrelationKeys.ForSpan(span.TraceId, span.ParentSpanId)));
            if (span.FaasInvocationId is { } requestId)
            {
                keys.Add(Outbound(CorrelationKeys.LambdaRequest + requestId));
                keys.Add(Inbound(CorrelationKeys.LambdaRequest + requestId));
                keys.Add(RequestId(requestId));
            }
            foreach (var inbound in span.Inbound)
            {
                keys.Add(Outbound(inbound.Key));
                // The other consumers of the same key: what tells a duplicate delivery (read right after the commit).
                keys.Add(Inbound(inbound.Key));
            }
            foreach (var outbound in span.OutboundKeys)
                keys.Add(Inbound(outbound));
            foreach (var write in span.Writes)
            {
                foreach (var pair in write.Pairs)
                    keys.Add(DynamoRead(write.Table, pair));
            }
            foreach (var read in span.Reads)
            {
                keys.Add(DynamoWrite(read.Table, read.Pairs[0]));
                keys.Add(DynamoRead(read.Table, read.Pairs[0]));
            }
        }
        foreach (var invocation in ofTraces.Select(_committed.Invocation).OfType<Invocation>())
        {
            // Re-deriving an invocation marks the consumers of what it produced dirty.
            foreach (var key in invocation.Outbound)
                keys.Add(Inbound(key.Key));
            foreach (var write in invocation.Writes)
            {
                foreach (var pair in write.Pairs)
                    keys.Add(DynamoRead(write.Table, pair));
            }
        }
        _committed.WarmKeys(keys);
        var related = keys.SelectMany(_committed.Keyed).ToHashSet();
        _committed.WarmInvocations(related);
        related.UnionWith(ofTraces);
        _committed.WarmHops(related);
        _committed.WarmTransactionsOf(related);
    }
}
