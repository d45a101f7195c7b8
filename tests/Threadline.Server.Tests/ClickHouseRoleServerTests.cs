using System.Net;
using Google.Protobuf;
using System.Net.Http.Json;
using System.Text.Json;
using Threadline.Server.Roles;
using Threadline.Testing;

namespace Threadline.Server.Tests;

/// <summary>
/// <c>--role</c> on one ClickHouse: a process with the role <c>all</c> (the store's only writer) and processes with
/// other roles refuse to share a database, whichever starts first; an ingest process stores and answers only its health.
/// </summary>
public sealed class ClickHouseRoleServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Role_all_and_the_shared_roles_never_run_on_one_database_and_ingest_serves_no_api()
    {
        var root = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));
        var clickHouse = await ClickHouseServer.StartAsync(Ct);
        var servers = new List<RunningServer>();
        try
        {
            Task<RunningServer> Start(ServerRole role) => ThreadlineServer.StartAsync(new ThreadlineServerOptions
            {
                DataDirectory = Path.Combine(root, Guid.NewGuid().ToString("n")),
                Store = "clickhouse",
                ClickHouseUrl = clickHouse.Url.ToString(),
                ClickHouseDatabase = "roles",
                Role = role,
                ApiPort = 0,
                OtlpHttpPort = 0,
                OtlpGrpcPort = 0,
            }, Ct);

            var all = await Start(ServerRole.All);
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Start(ServerRole.Ingest));
            Assert.Contains("served by a Threadline process with --role all", refused.Message);
            await all.DisposeAsync(); // a clean stop gives the lease up

            var ingest = await Start(ServerRole.Ingest);
            servers.Add(ingest);
            var derive = await Start(ServerRole.Derive);
            servers.Add(derive);
            using var deriveApi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{derive.ApiPort}") };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await LeaseAsync(deriveApi) != "held")
            {
                Assert.True(DateTime.UtcNow < deadline, "the derive process did not take the lease");
                await Task.Delay(50, Ct);
            }
            var second = await Assert.ThrowsAsync<InvalidOperationException>(() => Start(ServerRole.All));
            Assert.Contains("another Threadline process derives this store", second.Message);
            Assert.Contains("role derive", second.Message);

            using var otlp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ingest.OtlpHttpPort}") };
            using var content = new ByteArrayContent(OtlpRequests.Request(OtlpRequests.Span(OtlpRequests.RandomTraceId(), "on a shared store")).ToByteArray());
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
            Assert.Equal(HttpStatusCode.OK, (await otlp.PostAsync("/v1/traces", content, Ct)).StatusCode);
            using var ingestApi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ingest.ApiPort}") };
            Assert.Equal(HttpStatusCode.NotFound, (await ingestApi.GetAsync("/api/transactions", Ct)).StatusCode);
            var health = await ingestApi.GetFromJsonAsync<JsonElement>("/api/health", Ct);
            Assert.Equal("ingest", health.GetProperty("role").GetString());
            using var deriveOtlp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{derive.OtlpHttpPort}") };
            Assert.Equal(HttpStatusCode.NotFound, (await deriveOtlp.PostAsync("/v1/traces", new ByteArrayContent([]), Ct)).StatusCode);
        }
        finally
        {
            foreach (var server in servers)
                await server.DisposeAsync();
            await clickHouse.DisposeAsync();
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<string?> LeaseAsync(HttpClient api)
    {
        var health = await api.GetFromJsonAsync<JsonElement>("/api/health", Ct);
        return health.TryGetProperty("lease", out var lease) && lease.ValueKind == JsonValueKind.Object ? lease.GetProperty("state").GetString() : null;
    }
}
