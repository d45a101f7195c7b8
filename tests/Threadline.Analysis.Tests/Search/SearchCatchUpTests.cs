using System.Buffers.Binary;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Analysis.Search;
using Threadline.Storage;
using Threadline.Storage.Derived.Search;
using Threadline.Telemetry;

namespace Threadline.Analysis.Tests.Search;

/// <summary>
/// The search index's catch-up derives the commits past its watermark that the live path did not see (after a crash,
/// or in a process that only follows the store), logs included: OpenTelemetry SDKs export logs in requests of their
/// own, so a commit may hold only logs.
/// </summary>
public sealed class SearchCatchUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Range => $"from={Nanos(AnalysisServer.T0.AddHours(-1))}&to={Nanos(AnalysisServer.T0.AddHours(1))}";

    private static long Nanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    [Fact]
    public async Task A_commit_of_logs_only_is_derived_by_each_catch_up_of_a_loop()
    {
        await using var server = await AnalysisServer.StartAsync();
        var checkout = new Fn("checkout", "2").Invoke(AnalysisServer.T0.AddMinutes(-5), 120).Http("POST /orders");
        var other = new Fn("checkout", "2").Invoke(AnalysisServer.T0.AddMinutes(-4), 80).Http("POST /orders");
        await server.SendAsync(checkout, other);
        await WaitForIndexAsync(server);
        var store = server.Server.Services.GetRequiredService<ITelemetryStore>();
        var index = server.Server.Services.GetRequiredService<ISearchIndexStore>();
        var indexer = server.Server.Services.GetRequiredService<SearchIndexer>();

        // Written straight to the store, so the live path does not see it: the catch-up is what derives it.
        await store.WriteAsync([new TelemetryBatch([], [Log(checkout, "card declined, chargeback opened")])], Ct);
        Assert.Empty(await IdsAsync(server, "chargeback"));
        await indexer.CatchUpAsync(100, Ct);

        Assert.Equal([checkout.Id], await IdsAsync(server, "chargeback"));
        Assert.Equal(store.LastCommitSequence, await index.GetWatermarkAsync(Ct));

        // The next round of the loop: the trace is cached now, without the log stored since.
        await store.WriteAsync([new TelemetryBatch([], [Log(checkout, "refund issued to the wallet")])], Ct);
        await indexer.CatchUpAsync(100, Ct);

        Assert.Equal([checkout.Id], await IdsAsync(server, "wallet"));
        Assert.Equal([checkout.Id], await IdsAsync(server, "chargeback"));
        Assert.Equal([other.Id, checkout.Id], await IdsAsync(server, ""));
        Assert.Equal(store.LastCommitSequence, await index.GetWatermarkAsync(Ct));
    }

    private static LogRecord Log(Inv invocation, string body) => new()
    {
        TimeUnixNano = invocation.StartNanos + 1_000_000,
        TraceId = BinaryPrimitives.ReadUInt128BigEndian(invocation.TraceId.Span),
        SpanId = BinaryPrimitives.ReadUInt64BigEndian(invocation.SpanId.Span),
        Body = body,
        Resource = new ResourceRecord(1, "checkout", [new("service.name", "checkout")], null),
        Scope = new ScopeRecord(1, "logger", null, []),
    };

    private static async Task WaitForIndexAsync(AnalysisServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await server.GetAsync($"/api/search?limit=1&{Range}")).GetProperty("partial").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < deadline, "the search index did not derive the acknowledged writes within 30 s");
            await Task.Delay(20, Ct);
        }
    }

    private static async Task<List<string>> IdsAsync(AnalysisServer server, string query) =>
        [.. (await server.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}&{Range}")).GetProperty("invocations").EnumerateArray().Select(h => h.GetProperty("id").GetString()!)];
}
