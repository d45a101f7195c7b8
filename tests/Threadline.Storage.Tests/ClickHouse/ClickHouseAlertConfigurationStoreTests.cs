using System.Security.Cryptography;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Configuration;
using Threadline.Storage.Configuration;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>The ClickHouse backend runs the alert configuration conformance suite on a real server, a database per test folder.</summary>
public sealed class ClickHouseAlertConfigurationStoreTests(ClickHouseServerFixture fixture) : AlertConfigurationStoreConformanceTests
{
    protected override async Task<IAlertConfigurationStore> OpenStoreAsync(string dataDirectory)
    {
        using var created = await fixture.CreateDatabaseAsync(DatabaseFor(dataDirectory));
        return await ClickHouseAlertConfigurationStore.OpenAsync(created.Options, TestContext.Current.CancellationToken);
    }

    private static string DatabaseFor(string dataDirectory) =>
        "config_" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..24];

    [Fact]
    public async Task After_merges_fold_the_rows_the_latest_revision_is_read_and_a_deleted_document_stays_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = DatabaseFor(Guid.NewGuid().ToString());
        using var client = await fixture.CreateDatabaseAsync(database);
        await using var store = await ClickHouseAlertConfigurationStore.OpenAsync(client.Options, ct);
        for (var version = 0; version < 20; version++)
            await store.PutAsync(DocumentKind.AlertRule, "kept", $$"""{"n":{{version}}}""", version, ct);
        await store.PutAsync(DocumentKind.AlertRule, "gone", "{}", 0, ct);
        Assert.True(await store.DeleteAsync(DocumentKind.AlertRule, "gone", 1, ct));

        await client.ExecuteAsync("OPTIMIZE TABLE alert_configuration FINAL", ct);

        var kept = await store.GetAsync(DocumentKind.AlertRule, "kept", ct);
        Assert.Equal((20L, """{"n":19}"""), (kept!.Version, kept.Json));
        Assert.Null(await store.GetAsync(DocumentKind.AlertRule, "gone", ct));
        Assert.Equal(["kept"], (await store.ListAsync(DocumentKind.AlertRule, ct)).Select(d => d.Id));
        var recreated = await store.PutAsync(DocumentKind.AlertRule, "gone", "{}", 0, ct);
        Assert.Equal(1, recreated.Version);
    }
}
