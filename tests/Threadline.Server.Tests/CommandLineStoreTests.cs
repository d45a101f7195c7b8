using System.Net;
using System.Net.Sockets;

namespace Threadline.Server.Tests;

public sealed partial class CommandLineTests
{
    [Theory]
    [InlineData("--store postgres", null)]
    [InlineData("", "postgres")]
    public async Task An_unknown_store_exits_2_naming_the_accepted_ones(string flag, string? variable) =>
        Assert.Contains("threadline: --store 'postgres' is not a storage backend of this Threadline; accepted: duckdb, clickhouse.",
            await RefusedAtStartAsync(flag, "THREADLINE_STORE", variable));

    [Theory]
    [InlineData("--role ingest", null, "threadline: --role ingest needs --store clickhouse")]
    [InlineData("", "derive", "threadline: --role derive needs --store clickhouse")]
    [InlineData("--role reader", null, "threadline: --role 'reader' is not a role: use all, or one or more of ingest, query, derive")]
    public async Task A_role_that_is_unknown_or_on_the_embedded_store_exits_2_saying_why(string flag, string? variable, string expected) =>
        Assert.Contains(expected, await RefusedAtStartAsync(flag, "THREADLINE_ROLE", variable));

    [Theory]
    [InlineData("--duckdb-threads 0", null, "threadline: --duckdb-threads must be between 1 and 256 (got 0).")]
    [InlineData("", "300", "threadline: --duckdb-threads must be between 1 and 256 (got 300).")]
    public async Task Duckdb_worker_threads_that_are_not_1_to_256_exit_2_saying_why(string flag, string? variable, string expected) =>
        Assert.Contains(expected, await RefusedAtStartAsync(flag, "THREADLINE_DUCKDB_THREADS", variable));

    /// <summary>
    /// Runs <c>serve</c> with the flag (or the variable set to the value) and asserts it exits 2 without creating its data
    /// folder; returns what it wrote to standard error.
    /// </summary>
    private static async Task<string> RefusedAtStartAsync(string flag, string variableName, string? variable)
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-cli-tests", Guid.NewGuid().ToString("n"));
        var environment = new Dictionary<string, string> { ["THREADLINE_DATA"] = data };
        if (variable is not null)
            environment[variableName] = variable;
        var (exitCode, errors) = await RunToExitAsync($"serve {flag} --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0", environment);

        Assert.Equal(2, exitCode);
        Assert.False(Directory.Exists(data));
        return errors;
    }

    [Fact]
    public async Task The_clickhouse_store_without_a_url_exits_2_saying_how_to_give_it()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-cli-tests", Guid.NewGuid().ToString("n"));
        var (exitCode, errors) = await RunToExitAsync("serve --store clickhouse --clickhouse-database bad-name --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0",
            new() { ["THREADLINE_DATA"] = data });

        Assert.Equal(2, exitCode);
        Assert.Contains("threadline: --store clickhouse needs --clickhouse-url (or THREADLINE_CLICKHOUSE_URL), e.g. http://127.0.0.1:8123.", errors);
        Assert.Contains("threadline: --clickhouse-database 'bad-name' is not a database name ClickHouse takes unquoted", errors);
    }

    [Fact]
    public async Task A_clickhouse_that_cannot_be_reached_stops_the_start_with_exit_1_and_the_reason()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-cli-tests", Guid.NewGuid().ToString("n"));
        // A port that was free a moment ago: nothing listens there.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var (exitCode, errors) = await RunToExitAsync("serve --api-port 0 --otlp-http-port 0 --otlp-grpc-port 0", new()
        {
            ["THREADLINE_DATA"] = data,
            ["THREADLINE_STORE"] = "clickhouse",
            ["THREADLINE_CLICKHOUSE_URL"] = $"http://127.0.0.1:{port}",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("threadline: cannot start: ", errors);
        Assert.Contains($"127.0.0.1:{port}", errors);
        Assert.True(Directory.Exists(data), "the data folder keeps the authentication file even with ClickHouse");
        Directory.Delete(data, recursive: true);
    }
}
