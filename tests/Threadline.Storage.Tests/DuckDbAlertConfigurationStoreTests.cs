using Threadline.Storage.Configuration;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Configuration;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>The embedded DuckDB backend runs the alert configuration conformance suite on a real database file.</summary>
public sealed class DuckDbAlertConfigurationStoreTests : AlertConfigurationStoreConformanceTests
{
    protected override Task<IAlertConfigurationStore> OpenStoreAsync(string dataDirectory) =>
        Task.FromResult<IAlertConfigurationStore>(DuckDbAlertConfigurationStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory }));

    [Fact]
    public async Task The_configuration_shares_the_database_file_with_the_telemetry_and_each_keeps_its_own_data()
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
        var options = new DuckDbStoreOptions { DataDirectory = folder };
        var traceId = Records.NewTraceId();
        await using (var telemetry = DuckDbTelemetryStore.Open(options))
        await using (var configuration = DuckDbAlertConfigurationStore.Open(options))
        {
            await configuration.PutAsync(DocumentKind.AlertRule, "r", "{}", 0, Ct);
            await telemetry.WriteAsync([new TelemetryBatch([Records.Span(traceId, "checkout", 1_790_000_000_000_000_000)], [])], Ct);
            await configuration.PutAsync(DocumentKind.AlertRule, "r", """{"edited":true}""", 1, Ct);
        }

        Assert.Equal([DuckDbStoreOptions.FileName], Directory.GetFiles(folder).Select(Path.GetFileName).Where(f => !f!.EndsWith(".wal", StringComparison.Ordinal)));
        await using (var telemetry = DuckDbTelemetryStore.Open(options))
        await using (var configuration = DuckDbAlertConfigurationStore.Open(options))
        {
            Assert.Single(await telemetry.GetTraceAsync(traceId, Ct));
            Assert.Equal("""{"edited":true}""", (await configuration.GetAsync(DocumentKind.AlertRule, "r", Ct))!.Json);
        }
        Directory.Delete(folder, recursive: true);
    }
}
