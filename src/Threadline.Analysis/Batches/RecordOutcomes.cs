namespace Threadline.Analysis.Batches;

/// <summary>
/// The one place a record's outcome is decided, from its deliveries to one consumer in start order and whether it was
/// seen dead-lettered. Pure, so a store-backed derivation can feed it the same facts.
/// </summary>
public static class RecordOutcomes
{
    /// <summary>
    /// A stream record Lambda dropped after its last retry: its key is in the range of an on-failure invocation record
    /// received after the delivery (Lambda sends the range, not the records).
    /// </summary>
    public static bool DroppedAfterLastRetry(string recordKey, IEnumerable<SkippedStreamRange> rangesReceivedLater) =>
        rangesReceivedLater.Any(r => r.Covers(recordKey));

    /// <summary>
    /// <paramref name="deadLettered"/>: dead-lettered, dropped after a stream's last retry (<see cref="DroppedAfterLastRetry"/>),
    /// or an async event named by an on-failure invocation record (<see cref="DroppedAsyncEvents"/>) received afterwards.
    /// </summary>
    public static RecordFate Derive(IReadOnlyList<DeliveryResult> deliveries, bool deadLettered)
    {
        var firstTrouble = -1;
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (deliveries[i] != DeliveryResult.Succeeded)
            {
                firstTrouble = i;
                break;
            }
        }
        if (firstTrouble < 0)
            return new RecordFate(deadLettered ? RecordOutcome.Lost : RecordOutcome.Succeeded, false, false);
        var ownFailure = deliveries.Contains(DeliveryResult.Failed);
        var deliveredLater = deliveries.Skip(firstTrouble + 1).Contains(DeliveryResult.Succeeded);
        var outcome = deadLettered && !deliveredLater ? RecordOutcome.Lost
            : ownFailure ? deliveredLater ? RecordOutcome.Recovered : RecordOutcome.Failed
            : deliveries.Contains(DeliveryResult.BatchFailed) ? deliveredLater ? RecordOutcome.Recovered : RecordOutcome.InFailedBatch
            : RecordOutcome.Delayed;
        return new RecordFate(outcome, ownFailure, deliveredLater);
    }
}
