using Threadline.Storage.Derived.Search;
using Threadline.Storage.Retention;

namespace Threadline.Analysis.Search;

/// <summary>After retention deleted old spans, the search index deletes the invocations that started before the cutoff.</summary>
internal sealed class SearchForgetting(ISearchIndexStore index) : IDeletionObserver
{
    public void OnDeletedBefore(long cutoffUnixNano) => index.DeleteStartedBeforeAsync(cutoffUnixNano, CancellationToken.None).GetAwaiter().GetResult();
}
