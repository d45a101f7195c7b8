using Threadline.Server.Derivation;
using Threadline.Server.Stitch;
using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>The analysis in the derive role of a shared store (see <see cref="IDerivationStep"/>): as on the writer loop,
/// each page is analyzed after the stitcher derived it, reading nothing back for the traces it first saw in it.</summary>
internal sealed class AnalysisStep(AnalysisState state, StitchDerivation stitching) : IDerivationStep
{
    public Task CatchUpAsync(CancellationToken cancellationToken) => state.CatchUpAsync(AnalysisCatchUp.PageSize, cancellationToken);

    public void DeriveCommitted(IReadOnlyList<SpanRecord> spans, IReadOnlyList<LogRecord> logs, long sequence)
    {
        if (spans.Count > 0)
            state.DeriveCommitted(spans, sequence, stitching.TracesFirstStoredIn(sequence));
        else
            state.AdvanceWatermark(sequence);
    }

    public bool HasFailed => false; // it derives on the caller's thread: a failure throws
}
