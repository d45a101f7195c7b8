using Threadline.Analysis.Batches;
using static Threadline.Analysis.Batches.DeliveryResult;

namespace Threadline.Analysis.Tests;

/// <summary>The one rule that decides a batch record's outcome from its deliveries (issue 17).</summary>
public sealed class RecordOutcomeTests
{
    public static TheoryData<DeliveryResult[], bool, RecordOutcome, bool, bool> Cases => new()
    {
        { [Succeeded], false, RecordOutcome.Succeeded, false, false },
        { [Failed], false, RecordOutcome.Failed, true, false },
        { [Failed, Failed, Failed], false, RecordOutcome.Failed, true, false },
        { [Failed, Succeeded], false, RecordOutcome.Recovered, true, true },
        { [Failed, Failed], true, RecordOutcome.Lost, true, false },
        { [RetriedForOthers, Succeeded], false, RecordOutcome.Delayed, false, true },
        { [RetriedForOthers, RetriedForOthers], false, RecordOutcome.Delayed, false, false },
        { [RetriedForOthers, Failed, Succeeded], false, RecordOutcome.Recovered, true, true },
        { [BatchFailed], false, RecordOutcome.InFailedBatch, false, false },
        { [BatchFailed, Succeeded], false, RecordOutcome.Recovered, false, true },
        { [BatchFailed, BatchFailed], true, RecordOutcome.Lost, false, false },
        // A duplicate delivery after success changes nothing.
        { [Succeeded, Succeeded], false, RecordOutcome.Succeeded, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_outcome_follows_from_the_deliveries_in_order(DeliveryResult[] deliveries, bool deadLettered, RecordOutcome outcome, bool ownFailure, bool deliveredLater) =>
        Assert.Equal(new RecordFate(outcome, ownFailure, deliveredLater), RecordOutcomes.Derive(deliveries, deadLettered));
}
