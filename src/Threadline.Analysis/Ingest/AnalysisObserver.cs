using Threadline.Server.Stitch;
using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// Derives every committed write on the writer loop, after the stitcher and before the senders are answered, so a 200
/// means stored, stitched and analyzed. The write's commit sequence becomes the analysis watermark in the same
/// derived transaction.
/// </summary>
internal sealed class AnalysisObserver(AnalysisState state, ITelemetryStore store, StitchDerivation stitching) : ICommittedBatchObserver
{
    public void OnCommitted(IReadOnlyList<TelemetryBatch> batches)
    {
        var spans = batches.Count == 1 ? batches[0].Spans : batches.SelectMany(b => b.Spans).ToList();
        if (spans.Count == 0)
            return;
        var sequence = store.LastCommitSequence;
        state.DeriveCommitted(spans, sequence, stitching.TracesFirstStoredIn(sequence));
    }

    // The start's replay (for the stitcher) is not needed: AnalysisCatchUp derives past the stored watermark.
}
