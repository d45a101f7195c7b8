using Threadline.Storage.Derived.Analysis;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Analysis;

namespace Threadline.Storage.Tests;

/// <summary>The embedded DuckDB backend runs the analysis store conformance suite on a real database file.</summary>
public sealed class DuckDbAnalysisStoreTests : AnalysisStoreConformanceTests
{
    protected override Task<IAnalysisStore> OpenStoreAsync(string dataDirectory) =>
        Task.FromResult<IAnalysisStore>(DuckDbAnalysisStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory }));
}
