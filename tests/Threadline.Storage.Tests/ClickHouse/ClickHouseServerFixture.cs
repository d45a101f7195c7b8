using Threadline.Storage.ClickHouse.Client;
using Threadline.Testing;

[assembly: AssemblyFixture(typeof(Threadline.Storage.Tests.ClickHouse.ClickHouseServerFixture))]

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// One ClickHouse server for this test assembly, started by the first test that asks for it (so a run of only the
/// DuckDB tests starts none) and stopped by PID when the assembly is done. Each test class uses its own database.
/// </summary>
public sealed class ClickHouseServerFixture : IAsyncDisposable
{
    private readonly Lazy<Task<ClickHouseServer>> _server = new(() => ClickHouseServer.StartAsync());

    public Task<ClickHouseServer> ServerAsync() => _server.Value;

    /// <summary>Connection options for a database of the shared server (created by the code under test or by <see cref="CreateDatabaseAsync"/>).</summary>
    public async Task<ClickHouseConnectionOptions> OptionsAsync(string database, bool compression = true) => new()
    {
        Url = (await ServerAsync()).Url,
        Database = database,
        Compression = compression,
    };

    public async Task<ClickHouseClient> CreateDatabaseAsync(string database, bool compression = true)
    {
        var client = new ClickHouseClient(await OptionsAsync(database, compression));
        await client.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {ClickHouseSql.Identifier(database)}", TestContext.Current.CancellationToken, database: "default");
        return client;
    }

    public static string NewDatabaseName(string prefix) => $"{prefix}_{Guid.NewGuid():n}";

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated)
        {
            ClickHouseServer server;
            try
            {
                server = await _server.Value;
            }
            catch (InvalidOperationException)
            {
                return; // It never started; the tests that needed it already failed with the reason.
            }
            catch (TimeoutException)
            {
                return;
            }
            await server.DisposeAsync();
        }
    }
}
