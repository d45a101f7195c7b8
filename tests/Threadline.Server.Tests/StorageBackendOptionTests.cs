using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Storage;
using Threadline.Storage.DuckDb;

namespace Threadline.Server.Tests;

/// <summary><c>--store</c>: the backend the server opens every store on (<c>duckdb</c>, the default, or <c>clickhouse</c>).</summary>
public sealed class StorageBackendOptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void An_unknown_store_is_refused_naming_the_accepted_ones()
    {
        var options = new ThreadlineServerOptions { DataDirectory = "data", Store = "postgres" };

        Assert.Equal(["--store 'postgres' is not a storage backend of this Threadline; accepted: duckdb, clickhouse."], options.Validate());
        Assert.Contains("accepted: duckdb, clickhouse", Assert.Single(new ThreadlineServerOptions { DataDirectory = "data", Store = "" }.Validate()));
    }

    [Theory]
    [InlineData(null, "threadline", "--store clickhouse needs --clickhouse-url (or THREADLINE_CLICKHOUSE_URL), e.g. http://127.0.0.1:8123.")]
    [InlineData("127.0.0.1:8123", "threadline", "--clickhouse-url '127.0.0.1:8123' is not an http:// or https:// URL of ClickHouse's HTTP interface (e.g. http://127.0.0.1:8123).")]
    [InlineData("ftp://host:21", "threadline", "--clickhouse-url 'ftp://host:21' is not an http:// or https:// URL of ClickHouse's HTTP interface (e.g. http://127.0.0.1:8123).")]
    [InlineData("http://127.0.0.1:8123", "my-db", "--clickhouse-database 'my-db' is not a database name ClickHouse takes unquoted (letters, digits and '_').")]
    public void The_clickhouse_store_needs_a_url_and_a_plain_database_name(string? url, string database, string problem)
    {
        var options = new ThreadlineServerOptions { DataDirectory = "data", Store = "ClickHouse", ClickHouseUrl = url, ClickHouseDatabase = database };

        Assert.Equal([problem], options.Validate());
        Assert.Empty(new ThreadlineServerOptions { DataDirectory = "data", Store = "clickhouse", ClickHouseUrl = "https://ch.internal:8443/" }.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(257)]
    public void Duckdb_worker_threads_outside_1_to_256_are_refused(int threads)
    {
        var options = new ThreadlineServerOptions { DataDirectory = "data", DuckDbThreads = threads };

        Assert.Equal([$"--duckdb-threads must be between 1 and 256 (got {threads})."], options.Validate());
        Assert.Empty(new ThreadlineServerOptions { DataDirectory = "data", DuckDbThreads = 256 }.Validate());
    }

    [Fact]
    public async Task The_start_with_an_unknown_store_fails_before_touching_the_data_folder()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ThreadlineServer.StartAsync(
            new ThreadlineServerOptions { DataDirectory = data, Store = "postgres", ApiPort = 0, OtlpHttpPort = 0, OtlpGrpcPort = 0 }, Ct));

        Assert.Contains("--store 'postgres' is not a storage backend of this Threadline; accepted: duckdb, clickhouse.", error.Message);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Duckdb_is_the_default_and_named_in_any_case_it_stores_in_the_data_folder()
    {
        Assert.Equal("duckdb", new ThreadlineServerOptions { DataDirectory = "data" }.Store);
        var data = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));
        var server = await ThreadlineServer.StartAsync(
            new ThreadlineServerOptions { DataDirectory = data, Store = "DuckDB", ApiPort = 0, OtlpHttpPort = 0, OtlpGrpcPort = 0 }, Ct);
        try
        {
            var backend = Assert.IsType<DuckDbStorageBackend>(server.Services.GetRequiredService<IStorageBackend>());
            Assert.Equal(Path.Combine(data, DuckDbStoreOptions.FileName), backend.Options.DatabasePath);
            var traceId = OtlpRequests.RandomTraceId();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OtlpHttpPort}") };
            using var content = new ByteArrayContent(OtlpRequests.Request(OtlpRequests.Span(traceId, "stored")).ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            (await http.PostAsync("/v1/traces", content, Ct)).EnsureSuccessStatusCode();

            var stored = await server.Services.GetRequiredService<ITelemetryStore>().GetTraceAsync(
                UInt128.Parse(OtlpRequests.Hex(traceId), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture), Ct);
            Assert.Equal("stored", Assert.Single(stored).Name);
            Assert.True(File.Exists(backend.Options.DatabasePath));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_derived_store_connection_sees_the_span_stores_commits()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));
        var backend = new DuckDbStorageBackend(new DuckDbStoreOptions { DataDirectory = data });
        try
        {
            await using var store = backend.OpenTelemetryStore();
            using var connection = backend.OpenConnection();
            var span = new Telemetry.SpanRecord
            {
                TraceId = 42,
                SpanId = 7,
                Name = "seen",
                StartTimeUnixNano = 1_000,
                EndTimeUnixNano = 2_000,
                Resource = new Telemetry.ResourceRecord(1, "svc", [], null),
                Scope = new Telemetry.ScopeRecord(1, "scope", null, []),
            };
            await store.WriteAsync([new Telemetry.TelemetryBatch([span], [])], Ct);

            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM spans WHERE commit_seq = 1";
            Assert.Equal("seen", command.ExecuteScalar());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
