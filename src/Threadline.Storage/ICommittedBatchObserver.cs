using Threadline.Telemetry;

namespace Threadline.Storage;

/// <summary>
/// Told about every batch after it is durable, in commit order, on the writer's loop (so it must be quick).
/// The stitching engine hears about new spans this way.
/// </summary>
public interface ICommittedBatchObserver
{
    void OnCommitted(IReadOnlyList<TelemetryBatch> batches);
}
