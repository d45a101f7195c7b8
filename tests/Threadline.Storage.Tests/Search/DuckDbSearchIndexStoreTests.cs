using Threadline.Storage.Derived.Search;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Search;

namespace Threadline.Storage.Tests.Search;

public sealed class DuckDbSearchIndexStoreTests : SearchIndexStoreConformanceTests
{
    protected override Task<ISearchIndexStore> OpenStoreAsync(string dataDirectory) =>
        Task.FromResult<ISearchIndexStore>(DuckDbSearchIndexStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory }));
}
