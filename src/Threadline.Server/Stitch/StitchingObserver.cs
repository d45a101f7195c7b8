using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Server.Stitch;

/// <summary>
/// Feeds every committed span to the stitch engine. It runs on the writer loop before the senders are answered,
/// so an acknowledged span is already part of its transaction when the API is asked.
/// </summary>
internal sealed class StitchingObserver(StitchEngine engine, StitchLagRecorder lags) : ICommittedBatchObserver
{
    public void OnCommitted(IReadOnlyList<TelemetryBatch> batches)
    {
        var spans = batches.Count == 1 ? batches[0].Spans : batches.SelectMany(b => b.Spans).ToList();
        if (spans.Count > 0)
            lags.Record(engine.Ingest(spans).LinkedHops);
    }

    /// <summary>Stored spans read back at start: stitched, but their hops are no lag to record.</summary>
    public void OnReplayed(IReadOnlyList<SpanRecord> spans) => engine.Ingest(spans);
}
