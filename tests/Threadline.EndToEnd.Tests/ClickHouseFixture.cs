using Threadline.Testing;

[assembly: AssemblyFixture(typeof(Threadline.EndToEnd.Tests.ClickHouseFixture))]

namespace Threadline.EndToEnd.Tests;

/// <summary>
/// One ClickHouse server for the tests that run Threadline with <c>--store clickhouse</c>, started by the first one
/// that asks (a run without them starts none) and stopped by PID when the assembly is done; each test uses a database
/// of its own.
/// </summary>
public sealed class ClickHouseFixture : IAsyncDisposable
{
    private readonly Lazy<Task<ClickHouseServer>> _server = new(() => ClickHouseServer.StartAsync());

    public async Task<Uri> UrlAsync() => (await _server.Value).Url;

    public static string NewDatabaseName() => $"e2e_{Guid.NewGuid():n}";

    public async ValueTask DisposeAsync()
    {
        if (!_server.IsValueCreated)
            return;
        ClickHouseServer server;
        try
        {
            server = await _server.Value;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return; // It never started; the tests that needed it already failed with the reason.
        }
        await server.DisposeAsync();
    }
}
