using Threadline.Storage.Derived.Stitching;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Stitching;

namespace Threadline.Storage.Tests;

/// <summary>The embedded DuckDB backend runs the stitch store conformance suite on a real database file.</summary>
public sealed class DuckDbStitchStoreTests : StitchStoreConformanceTests
{
    protected override IStitchStore OpenStore(string dataDirectory) => DuckDbStitchStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory });
}
