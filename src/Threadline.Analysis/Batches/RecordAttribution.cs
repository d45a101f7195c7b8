using Threadline.Analysis.Ingest;
using Threadline.Stitching;

namespace Threadline.Analysis.Batches;

/// <summary>The transactions one record belongs to; <see cref="PerBatch"/> when nothing narrows it below its batch's.</summary>
public sealed record RecordTransactions(IReadOnlyList<string> TransactionIds, bool PerBatch);

/// <summary>
/// Whose a record is: the transaction of the invocation that sent it. The sender is found by the record's key (the
/// producer's span that sent it) or, for a DynamoDB stream record, by the write of that item. When the sender is itself
/// a batch consumer in several transactions, the record span its sending span ran under (the tracer's
/// <c>ForEachRecordAsync</c>) names the record it was processing, which is attributed the same way, upstream; without
/// one, the record belongs to every transaction of the sender and the attribution is per batch.
/// </summary>
public static class RecordAttribution
{
    private const int MaxDepth = 16;

    public static RecordTransactions Of(IAnalysisView view, AnalyzedInvocation consumer, RecordDelivery record) =>
        Of(view, consumer.Id, record.Keys, 0);

    private static RecordTransactions Of(IAnalysisView view, InvocationId consumer, IReadOnlyList<string> keys, int depth)
    {
        var senders = Senders(view.Engine, consumer, keys);
        if (senders.Count == 0)
        {
            var own = view.Engine.TransactionsOf(consumer);
            return new RecordTransactions(own, own.Count > 1);
        }
        var transactions = new SortedSet<string>(StringComparer.Ordinal);
        var perBatch = false;
        foreach (var (sender, spanId) in senders)
        {
            var ofSender = view.Engine.TransactionsOf(sender);
            if (ofSender.Count > 1 && depth < MaxDepth && view.Get(sender) is { } analyzed
                && analyzed.Batch.RecordOfSpan.TryGetValue(spanId, out var senderRecord)
                && analyzed.Batch.Records.FirstOrDefault(r => r.Key == senderRecord) is { } upstream)
            {
                var narrowed = Of(view, sender, upstream.Keys, depth + 1);
                transactions.UnionWith(narrowed.TransactionIds);
                perBatch |= narrowed.PerBatch;
                continue;
            }
            transactions.UnionWith(ofSender);
            perBatch |= ofSender.Count > 1;
        }
        return new RecordTransactions([.. transactions], perBatch);
    }

    /// <summary>The invocations (and their spans) that sent the record: producers of its keys, or the write of its DynamoDB item.</summary>
    private static List<(InvocationId Sender, ulong SpanId)> Senders(StitchEngine engine, InvocationId consumer, IReadOnlyList<string> keys)
    {
        var senders = new List<(InvocationId, ulong)>();
        foreach (var key in keys)
        {
            if (CorrelationKeys.TryParseDynamoItem(key, out var table, out var pairs))
            {
                if (DynamoWriter(engine, consumer, table, pairs) is { } write)
                    senders.Add(write);
                continue;
            }
            senders.AddRange(engine.ProducersOf(key).Where(p => p.Invocation != consumer).Select(p => (p.Invocation, p.Key.SpanId)));
        }
        return [.. senders.Distinct()];
    }

    /// <summary>Among the producers linked to the consumer through DynamoDB, the latest write of the item (as the stitcher links it).</summary>
    private static (InvocationId, ulong)? DynamoWriter(StitchEngine engine, InvocationId consumer, string table, string[] pairs)
    {
        (InvocationId Invocation, DynamoWrite Write)? best = null;
        foreach (var hop in engine.IncomingHops(consumer).Where(h => h.Via == Via.DynamoDbKey))
        {
            if (engine.GetInvocation(hop.From) is not { } producer)
                continue;
            foreach (var write in producer.Writes.Where(w => w.Table == table && pairs.All(w.Pairs.Contains)))
            {
                if (best is not { } current || write.TimeUnixNano > current.Write.TimeUnixNano)
                    best = (producer.Id, write);
            }
        }
        return best is { } found ? (found.Invocation, found.Write.SpanId) : null;
    }
}
