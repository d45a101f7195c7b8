using Microsoft.Extensions.DependencyInjection;
using Threadline.Storage;
using Threadline.Storage.Derived.Search;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Search;
using Threadline.Storage.Retention;

namespace Threadline.Analysis.Search;

/// <summary>Registers the search index, its derivation and its queries (called by <see cref="AnalysisModule"/> after the
/// analysis' own observer, so the index derives after the stitcher and the analysis).</summary>
internal static class SearchServices
{
    public static void AddSearch(this IServiceCollection services, string dataDirectory)
    {
        // The index lives in the span store's database file. Until the backend factory (issue 13) opens derived stores,
        // it is opened here; it names DuckDB in this one line only.
        services.AddSingleton<ISearchIndexStore>(_ => DuckDbSearchIndexStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory }));
        services.AddSingleton<SearchRowBuilder>();
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<SearchQueries>();
        services.AddSingleton<ICommittedBatchObserver, SearchIndexObserver>();
        services.AddSingleton<IDeletionObserver, SearchForgetting>();
        services.AddHostedService<SearchCatchUp>();
    }
}
