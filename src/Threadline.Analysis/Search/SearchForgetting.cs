using Threadline.Storage.Retention;

namespace Threadline.Analysis.Search;

/// <summary>After retention deleted old spans, the search index deletes the invocations that started before the cutoff
/// and its derivation forgets the traces it cached (they may hold deleted records).</summary>
internal sealed class SearchForgetting(SearchIndexer indexer) : IDeletionObserver
{
    public void OnDeletedBefore(long cutoffUnixNano) => indexer.ForgetStartedBefore(cutoffUnixNano);
}
