using Threadline.Storage.DuckDb;

namespace Threadline.Storage.Tests;

/// <summary>The embedded DuckDB backend runs the whole conformance suite on a real database file.</summary>
public sealed class DuckDbTelemetryStoreTests : TelemetryStoreConformanceTests
{
    protected override Task<ITelemetryStore> OpenStoreAsync(string dataDirectory) =>
        Task.FromResult<ITelemetryStore>(DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory }));

    [Fact]
    public async Task A_data_folder_from_another_schema_version_is_refused_with_the_reason()
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
        await DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }).DisposeAsync();
        using (var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={Path.Combine(folder, DuckDbStoreOptions.FileName)}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE threadline_schema SET version = 99";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }));

        Assert.Contains("schema version 99", error.Message);
        Directory.Delete(folder, recursive: true);
    }
}
