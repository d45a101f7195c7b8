using System.Net.Http.Json;
using System.Text.Json;
using Threadline.Analysis;
using Threadline.Analysis.Configuration;
using Threadline.Server;
using Threadline.Storage.DuckDb;
using Threadline.Telemetry;

namespace Threadline.Reliability.Tests;

/// <summary>
/// A derivation that runs outside the writer's turn (the start's catch-ups) can read a page of spans, lose the race to a
/// retention pass that deletes some of them and tells every derivation to forget them, and derive the page after: the
/// deleted spans must not come back as transactions, functions or search results, which no later pass would remove.
/// </summary>
public sealed class RetentionCatchUpRaceTests
{
    private static readonly ResourceRecord OldService = new(21, "billing", [new("service.name", "billing")], null);
    private static readonly ResourceRecord RecentService = new(22, "notify", [new("service.name", "notify")], null);
    private static readonly ScopeRecord Scope = new(23, "tests", null, []);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_page_the_catch_ups_read_before_retention_deleted_it_does_not_bring_its_spans_back()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var old = Span(1, OldService, now - (long)TimeSpan.FromHours(3).TotalNanoseconds);
        var recent = Span(2, RecentService, now - (long)TimeSpan.FromMinutes(1).TotalNanoseconds);

        // Spans stored by no server that derived them: the start's catch-ups (stitcher, analysis, search) derive them.
        // Their pages are held until the second retention pass begins, i.e. until the first one has deleted the old span
        // and told every derivation to forget it.
        await using var server = await InProcessServer.StartAsync(
            data => new ThreadlineServerOptions
            {
                DataDirectory = data,
                Retention = TimeSpan.FromHours(1),
                RetentionInterval = TimeSpan.FromMilliseconds(50),
                Modules = [new AnalysisModule(new AnalysisOptions { EvaluationInterval = null })],
            },
            seed: async data =>
            {
                await using var store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = data });
                await store.WriteAsync([new TelemetryBatch([old, recent], [])], Ct);
            },
            configureStore: store => store.ScansWaitFor = store.DeleteCalled(2));

        await Poll.UntilAsync(async () => await TransactionsAsync(server, recent.TraceId) == 1
                && (await FunctionsAsync(server)).Contains("notify")
                && await SearchAsync(server, "notify") is (1, false),
            TimeSpan.FromSeconds(30), () => $"the catch-ups did not derive the recent span: {Describe(server)}");

        Assert.Empty(await server.Store.GetTraceAsync(old.TraceId, Ct));
        Assert.Equal(0, await TransactionsAsync(server, old.TraceId));
        Assert.Equal(["notify"], await FunctionsAsync(server));
        Assert.Equal((0, false), await SearchAsync(server, "billing"));
    }

    private static string Describe(InProcessServer server)
    {
        var health = server.Api.GetStringAsync("/api/health", Ct).GetAwaiter().GetResult();
        var transactions = server.Api.GetStringAsync("/api/transactions", Ct).GetAwaiter().GetResult();
        var functions = server.Api.GetStringAsync("/api/functions", Ct).GetAwaiter().GetResult();
        var search = server.Api.GetStringAsync($"/api/search?q=function:notify&from={DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() * 1_000_000}", Ct).GetAwaiter().GetResult();
        return $"health {health}; transactions {transactions}; functions {functions}; search {search}";
    }

    private static SpanRecord Span(byte trace, ResourceRecord resource, long start) => new()
    {
        TraceId = (UInt128)trace << 64 | 0x42,
        SpanId = trace,
        Name = "handle " + resource.Service,
        Kind = SpanKind.Server,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + 5_000_000,
        Resource = resource,
        Scope = Scope,
    };

    private static async Task<int> TransactionsAsync(InProcessServer server, UInt128 traceId)
    {
        var list = await server.Api.GetFromJsonAsync<JsonElement>($"/api/transactions?traceId={traceId:x32}", Ct);
        return list.GetProperty("transactions").GetArrayLength();
    }

    private static async Task<List<string?>> FunctionsAsync(InProcessServer server) =>
        [.. (await server.Api.GetFromJsonAsync<JsonElement>("/api/functions", Ct)).EnumerateArray().Select(f => f.GetProperty("function").GetString())];

    private static async Task<(int Total, bool Partial)> SearchAsync(InProcessServer server, string function)
    {
        var from = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() * 1_000_000;
        var answer = await server.Api.GetFromJsonAsync<JsonElement>($"/api/search?q=function:{function}&from={from}", Ct);
        return (answer.GetProperty("total").GetInt32(), answer.GetProperty("partial").GetBoolean());
    }
}
