using Threadline.Telemetry;

namespace Threadline.Storage;

/// <summary>
/// Told about every batch after it is durable, in commit order, on the writer's loop (so it must be quick).
/// The stitching engine hears about new spans this way.
/// </summary>
public interface ICommittedBatchObserver
{
    void OnCommitted(IReadOnlyList<TelemetryBatch> batches);

    /// <summary>
    /// At start, before any new batch, the stored spans are read back once, page by page, and told to every observer
    /// that derives state from them in memory (so the stitcher and the analysis share one scan of the store).
    /// </summary>
    void OnReplayed(IReadOnlyList<SpanRecord> spans)
    {
    }
}
