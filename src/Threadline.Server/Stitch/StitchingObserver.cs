using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Server.Stitch;

/// <summary>
/// Stitches every committed write on the writer loop before the senders are answered, so an acknowledged span is
/// already part of its transaction when the API is asked; the write's commit sequence is the stitch watermark of the
/// same derived transaction.
/// </summary>
internal sealed class StitchingObserver(StitchDerivation derivation, ITelemetryStore store, StitchLagRecorder lags) : ICommittedBatchObserver
{
    public void OnCommitted(IReadOnlyList<TelemetryBatch> batches)
    {
        var spans = batches.Count == 1 ? batches[0].Spans : batches.SelectMany(b => b.Spans).ToList();
        if (spans.Count > 0)
            lags.Record(derivation.DeriveCommitted(spans, store.LastCommitSequence).LinkedHops);
    }

    // No OnReplayed: the stitch state is in the store; the start derives only what is past its watermark.
}
