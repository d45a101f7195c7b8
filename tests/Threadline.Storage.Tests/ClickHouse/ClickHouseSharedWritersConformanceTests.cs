using System.Security.Cryptography;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// The whole conformance suite on a store in shared-writers mode. The contract differs in two places, both handled
/// by <see cref="SettledStore"/> rather than by changing a test: no read-your-writes (the suite's reads after a
/// write wait until the settled frontier passes it) and sequences that are clock-and-slot numbers, not 1, 2, 3 (the
/// suite asks only that they increase, which they do).
/// </summary>
public sealed class ClickHouseSharedWritersConformanceTests(ClickHouseServerFixture fixture) : TelemetryStoreConformanceTests
{
    protected override async Task<ITelemetryStore> OpenStoreAsync(string dataDirectory) =>
        await SettledStore.OpenAsync(fixture, DatabaseFor(dataDirectory));

    protected override async Task<IAsyncDisposable> BreakLogWritesAsync(string dataDirectory)
    {
        var client = new ClickHouseClient(await fixture.OptionsAsync(DatabaseFor(dataDirectory)));
        await client.ExecuteAsync("RENAME TABLE logs TO logs_broken", Ct);
        return new Restore(client);
    }

    private sealed class Restore(ClickHouseClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.ExecuteAsync("RENAME TABLE logs_broken TO logs", CancellationToken.None);
            client.Dispose();
        }
    }

    private static string DatabaseFor(string dataDirectory) =>
        "shared_" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..24];
}
