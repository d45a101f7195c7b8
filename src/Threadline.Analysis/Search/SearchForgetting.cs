using Threadline.Storage.Derived.Search;
using Threadline.Storage.Retention;

namespace Threadline.Analysis.Search;

/// <summary>After retention deleted old spans, the search index deletes the invocations that started before the cutoff
/// and its derivation forgets the traces it cached (they may hold deleted records).</summary>
internal sealed class SearchForgetting(ISearchIndexStore index, SearchIndexer indexer) : IDeletionObserver
{
    public void OnDeletedBefore(long cutoffUnixNano)
    {
        index.DeleteStartedBeforeAsync(cutoffUnixNano, CancellationToken.None).GetAwaiter().GetResult();
        indexer.ForgetCached();
    }
}
