using Threadline.Server.Derivation;

namespace Threadline.Analysis.Ingest;

/// <summary>The analysis in the derive role of a shared store: each round of the derivation loop derives the commits
/// past the analysis watermark, after the stitcher derived them.</summary>
internal sealed class AnalysisStep(AnalysisState state) : IDerivationStep
{
    private const int PageSize = 5_000;

    public Task CatchUpAsync(CancellationToken cancellationToken) => state.CatchUpAsync(PageSize, cancellationToken);
}
