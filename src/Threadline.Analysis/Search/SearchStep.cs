using Threadline.Server.Derivation;

namespace Threadline.Analysis.Search;

/// <summary>The search index in the derive role of a shared store: each round of the derivation loop derives the commits
/// past the index's watermark, after the stitcher and the analysis.</summary>
internal sealed class SearchStep(SearchIndexer indexer) : IDerivationStep
{
    private const int PageSize = 2_000;

    public Task CatchUpAsync(CancellationToken cancellationToken) => indexer.CatchUpAsync(PageSize, cancellationToken, following: true);
}
