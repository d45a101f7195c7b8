using Threadline.Server.Derivation;

namespace Threadline.Analysis.Search;

/// <summary>The search index's background derivation as a part of <c>/api/health</c>'s <c>derivation</c>.</summary>
internal sealed class SearchDerivationProgress(SearchIndexer indexer) : IDerivationProgress
{
    public string Part => "search";

    public DerivationPartResponse Current
    {
        get
        {
            var progress = indexer.Progress;
            var total = progress.SpansTotal;
            return new DerivationPartResponse(Part, progress.State, progress.SpansDone, total < 0 ? null : Math.Max(total, progress.SpansDone));
        }
    }
}
