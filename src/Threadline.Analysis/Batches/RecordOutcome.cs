namespace Threadline.Analysis.Batches;

/// <summary>What became of one record of a consumed batch over all its deliveries to one consumer.</summary>
public enum RecordOutcome
{
    /// <summary>Processed at its first delivery.</summary>
    Succeeded,
    /// <summary>Its own processing failed and no later delivery succeeded (yet).</summary>
    Failed,
    /// <summary>Never failed itself: delivered again only because a batch-mate failed.</summary>
    Delayed,
    /// <summary>It failed (or was in a batch that failed as a whole) and a later delivery succeeded.</summary>
    Recovered,
    /// <summary>
    /// Sent to a dead-letter queue (seen consumed from another queue), or a stream record dropped after its last retry
    /// (its range seen in an on-failure destination's invocation record), without a successful delivery.
    /// </summary>
    Lost,
    /// <summary>Its batch failed as a whole, nothing tells which record failed, and no later delivery succeeded.</summary>
    InFailedBatch,
}

/// <summary>
/// A record's outcome, whether its own processing ever failed, and whether a delivery after its first trouble
/// succeeded (a delayed record that went through).
/// </summary>
public sealed record RecordFate(RecordOutcome Outcome, bool OwnFailure, bool DeliveredLater);
