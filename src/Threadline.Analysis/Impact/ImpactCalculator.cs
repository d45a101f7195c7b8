using Threadline.Analysis.Batches;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;
using Threadline.Stitching;

namespace Threadline.Analysis.Impact;

/// <summary>
/// The entry points whose transactions pass through the given failed invocations, and the users of those transactions
/// (the entry invocation's user, else the first user found in another invocation of the transaction). A non-batch
/// invocation fails all its transactions. A batch consumer fails only the transactions of its records that failed
/// themselves; the transactions of records that came back because a batch-mate failed are delayed; and where nothing
/// tells which record failed (a whole batch failed without a partial response or record spans, or a record whose sender
/// processed a batch without record spans) the transactions are in failed batches (attribution per batch).
/// </summary>
public sealed class ImpactCalculator(AnalysisOptions options)
{
    public const int SampleSize = 10;

    public ImpactReport Of(IAnalysisView view, IEnumerable<AnalyzedInvocation> failed)
    {
        var failedTx = new HashSet<string>(StringComparer.Ordinal);
        var batchTx = new HashSet<string>(StringComparer.Ordinal);
        var delayedTx = new HashSet<string>(StringComparer.Ordinal);
        var delayedDelivered = new Dictionary<string, bool>(StringComparer.Ordinal);
        var fates = new Dictionary<(string Function, string Key), RecordFate>();
        foreach (var invocation in failed)
        {
            if (invocation.Batch.Records.Count == 0)
            {
                failedTx.UnionWith(view.Engine.TransactionsOf(invocation.Id));
                continue;
            }
            foreach (var record in invocation.Batch.Records.Where(r => r.Result != DeliveryResult.Succeeded))
            {
                if (!fates.TryGetValue((invocation.Function, record.Key), out var fate))
                    fates[(invocation.Function, record.Key)] = fate = FateOf(view, invocation, record);
                var attribution = RecordAttribution.Of(view, invocation, record);
                switch (record.Result)
                {
                    case DeliveryResult.Failed:
                        (attribution.PerBatch ? batchTx : failedTx).UnionWith(attribution.TransactionIds);
                        break;
                    case DeliveryResult.BatchFailed:
                        batchTx.UnionWith(attribution.TransactionIds);
                        break;
                    default:
                        foreach (var transaction in attribution.TransactionIds)
                        {
                            delayedTx.Add(transaction);
                            delayedDelivered[transaction] = delayedDelivered.GetValueOrDefault(transaction, true) && fate.DeliveredLater;
                        }
                        break;
                }
            }
        }
        batchTx.ExceptWith(failedTx);
        delayedTx.ExceptWith(failedTx);
        delayedTx.ExceptWith(batchTx);

        var perEntry = new Dictionary<EntryPoint, (int Failed, int Batch, int Delayed)>();
        var failedUsers = Users(view, failedTx, perEntry, (c, _) => c with { Failed = c.Failed + 1 });
        var batchUsers = Users(view, batchTx, perEntry, (c, _) => c with { Batch = c.Batch + 1 });
        var delayedUsers = Users(view, delayedTx, perEntry, (c, _) => c with { Delayed = c.Delayed + 1 });
        foreach (var user in failedUsers.Keys)
        {
            batchUsers.Remove(user);
            delayedUsers.Remove(user);
        }
        foreach (var user in batchUsers.Keys)
            delayedUsers.Remove(user);
        var delayedRecovered = delayedUsers.Count(u => u.Value.Transactions.All(t => delayedDelivered.GetValueOrDefault(t)));

        var entries = perEntry.Select(p => new EntryImpact(p.Key, p.Value.Failed, p.Value.Batch, p.Value.Delayed))
            .OrderByDescending(e => e.FailedTransactions).ThenByDescending(e => e.FailedBatchTransactions).ThenByDescending(e => e.DelayedTransactions)
            .ThenBy(e => e.Entry.Name, StringComparer.Ordinal).ToList();
        return new ImpactReport(entries, ExposureOf(failedUsers), [.. failedTx.Concat(batchTx).Order(StringComparer.Ordinal)],
            ExposureOf(delayedUsers), ExposureOf(batchUsers), delayedRecovered, OutcomeCounts.Of(fates.Values.Select(f => f.Outcome)));
    }

    /// <summary>
    /// The record's deliveries to the same consumer (same function, same source) in start order, and whether it was
    /// lost: seen consumed from another queue afterwards (a dead-letter queue keeps the message id), or, for a stream
    /// record, in the range of an on-failure destination's invocation record that a traced consumer received afterwards
    /// (for an SNS event, named in that record's request payload).
    /// </summary>
    private static RecordFate FateOf(IAnalysisView view, AnalyzedInvocation consumer, RecordDelivery record)
    {
        var consumers = view.OfRecord(record.Key);
        var deliveries = consumers
            .Where(c => c.Function == consumer.Function && c.TriggerResource == consumer.TriggerResource)
            .Select(c => c.Batch.Records.FirstOrDefault(r => r.Key == record.Key)?.Result)
            .OfType<DeliveryResult>()
            .ToList();
        var deadLettered = record.Key.StartsWith(CorrelationKeys.SqsMessage, StringComparison.Ordinal)
            && consumers.Any(c => c.TriggerResource != consumer.TriggerResource && c.TriggerKind == "sqs" && c.StartTimeUnixNano >= consumer.StartTimeUnixNano);
        var dropped = SkippedStreamRange.ShardOf(record.Key) is { } shard
            && RecordOutcomes.DroppedAfterLastRetry(record.Key, view.OfSkippedShard(shard)
                .Where(c => c.StartTimeUnixNano >= consumer.StartTimeUnixNano).SelectMany(c => c.SkippedRanges));
        var droppedEvent = consumers.Any(c => c.StartTimeUnixNano >= consumer.StartTimeUnixNano && c.DroppedKeys.Contains(record.Key));
        return RecordOutcomes.Derive(deliveries, deadLettered || dropped || droppedEvent);
    }

    private Dictionary<string, (bool Vip, List<string> Transactions)> Users(IAnalysisView view, IEnumerable<string> transactions,
        Dictionary<EntryPoint, (int Failed, int Batch, int Delayed)> perEntry, Func<(int Failed, int Batch, int Delayed), int, (int, int, int)> count)
    {
        var users = new Dictionary<string, (bool Vip, List<string> Transactions)>(StringComparer.Ordinal);
        List<string> listed = [.. transactions];
        var members = Prefetch(view, listed);
        foreach (var transactionId in listed)
        {
            if (!InvocationId.TryParse(transactionId, out var entryId) || view.Get(entryId) is not { } entry)
                continue;
            var point = EntryPoint.Of(entry);
            perEntry[point] = count(perEntry.GetValueOrDefault(point), 1);
            var (user, vip) = UserOf(view, entry, members[transactionId]);
            if (user is null)
                continue;
            var known = users.GetValueOrDefault(user, (false, []));
            known.Transactions.Add(transactionId);
            users[user] = (known.Vip || vip || options.VipUsers.Contains(user), known.Transactions);
        }
        return users;
    }

    private static Exposure ExposureOf(Dictionary<string, (bool Vip, List<string> Transactions)> users)
    {
        var ids = users.Keys.Order(StringComparer.Ordinal).ToList();
        return new Exposure(ids.Count, [.. ids.Where(u => users[u].Vip)], [.. ids.Take(SampleSize)]);
    }

    /// <summary>
    /// Reads the entries of these transactions, the member ids of those whose entry names no user, and those members'
    /// analysis, in batched reads (a few queries per call on a store, not one per transaction, and no transaction
    /// loaded whole). The members are listed in start order, as a transaction lists them, only where they are needed.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<InvocationId>> Prefetch(IAnalysisView view, List<string> transactions)
    {
        var entries = view.GetMany(transactions.Select(t => InvocationId.TryParse(t, out var id) ? id : (InvocationId?)null).OfType<InvocationId>());
        var userless = transactions.Where(t => InvocationId.TryParse(t, out var entryId) && entries.GetValueOrDefault(entryId) is { User: null }).ToList();
        var memberIds = view.Engine.TransactionMembers(userless);
        var analyzed = view.GetMany(memberIds.Values.SelectMany(m => m));
        var members = new Dictionary<string, IReadOnlyList<InvocationId>>(StringComparer.Ordinal);
        foreach (var transactionId in transactions)
        {
            members[transactionId] = memberIds.TryGetValue(transactionId, out var ids)
                ? [.. ids.OrderBy(m => analyzed.GetValueOrDefault(m)?.StartTimeUnixNano ?? long.MaxValue).ThenBy(m => m)]
                : [];
        }
        return members;
    }

    private static (string? User, bool Vip) UserOf(IAnalysisView view, AnalyzedInvocation entry, IReadOnlyList<InvocationId> members)
    {
        if (entry.User is not null)
            return (entry.User, entry.VipMarker);
        var withUser = members.Select(view.Get).FirstOrDefault(m => m?.User is not null);
        return (withUser?.User, withUser?.VipMarker ?? false);
    }
}
