using Microsoft.Extensions.DependencyInjection;
using Threadline.Server.Roles;
using Threadline.Storage;
using Threadline.Storage.Derived.Search;
using Threadline.Storage.Retention;

namespace Threadline.Analysis.Search;

/// <summary>Registers the search index, its derivation and its queries (called by <see cref="AnalysisModule"/> after the
/// analysis' own observer, so the index derives after the stitcher and the analysis).</summary>
internal static class SearchServices
{
    public static void AddSearch(this IServiceCollection services, ServerRole role)
    {
        // On the server's storage backend, opened after the telemetry store (which creates or upgrades the schema).
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<ITelemetryStore>();
            return sp.GetRequiredService<IStorageBackend>().OpenSearchIndexStore();
        });
        services.AddSingleton<SearchRowBuilder>();
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<SearchQueries>();
        services.AddSingleton<ICommittedBatchObserver, SearchIndexObserver>();
        services.AddSingleton<Threadline.Server.Derivation.IDerivationProgress, SearchDerivationProgress>();
        services.AddSingleton<IDeletionObserver, SearchForgetting>();
        if (role == ServerRole.All)
            services.AddHostedService<SearchCatchUp>();
        else if (role.HasFlag(ServerRole.Derive))
            services.AddSingleton<Threadline.Server.Derivation.IDerivationStep, SearchStep>();
    }
}
