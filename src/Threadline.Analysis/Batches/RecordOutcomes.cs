namespace Threadline.Analysis.Batches;

/// <summary>
/// The one place a record's outcome is decided, from its deliveries to one consumer in start order and whether it was
/// seen dead-lettered. Pure, so a store-backed derivation can feed it the same facts.
/// </summary>
public static class RecordOutcomes
{
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
