using System.Security.Cryptography;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Derived.Analysis;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// The ClickHouse analysis store runs the analysis conformance suite on the assembly's server; each test has its own
/// database, named after the test's data folder so that reopening the folder reopens the same database.
/// </summary>
public sealed class ClickHouseAnalysisStoreTests(ClickHouseServerFixture fixture) : AnalysisStoreConformanceTests
{
    private const long T0 = 1_790_000_040_000_000_000 - 1_790_000_040_000_000_000 % 60_000_000_000;
    private string _dataDirectory = "";

    protected override async Task<IAnalysisStore> OpenStoreAsync(string dataDirectory)
    {
        _dataDirectory = dataDirectory;
        var database = DatabaseFor(dataDirectory);
        (await fixture.CreateDatabaseAsync(database)).Dispose();
        return await ClickHouseAnalysisStore.OpenAsync(await fixture.OptionsAsync(database), Ct);
    }

    private static string DatabaseFor(string dataDirectory) =>
        "analysis_" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..24];

    private async Task<ClickHouseClient> ClientAsync() => new(await fixture.OptionsAsync(DatabaseFor(_dataDirectory)));

    private static AnalyzedInvocationRow Row(ulong trace, ulong span, string function, long start, string? issue = null, string? key = null) => new()
    {
        TraceId = new UInt128(0xabcd, trace),
        SpanId = span,
        Function = function,
        Release = "v1",
        Version = "v1",
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + 5_000_000,
        Failed = issue is not null,
        Failure = issue is null ? null : new FailureRow(issue, "Error", "TypeError", "boom", null, "boom 1"),
        Records = key is null ? [] : [new RecordDeliveryRow(key, [key], "Succeeded")],
        CostUsd = 0.5m,
    };

    [Fact]
    public async Task A_write_that_fails_part_way_is_invisible_also_after_reopening_and_the_next_write_succeeds()
    {
        var kept = Row(1, 1, "api", T0, issue: "aaaaaaaaaaaa", key: "k1");
        await Store.WriteAsync(new AnalysisDelta([kept.TraceId], [kept], 1), Ct);

        // The minutes are inserted after the invocations and every index: the write fails with all of those in.
        var lost = Row(2, 1, "api", T0 + 1, issue: "bbbbbbbbbbbb", key: "k2");
        var replaced = kept with { Function = "moved", Failure = null, Failed = false };
        using (var client = await ClientAsync())
        {
            await client.ExecuteAsync("RENAME TABLE analysis_function_minutes TO analysis_function_minutes_away", Ct);
            await Assert.ThrowsAsync<ClickHouseServerException>(() => Store.WriteAsync(new AnalysisDelta([lost.TraceId, kept.TraceId], [lost, replaced], 2), Ct));
            await AssertOnlyTheFirstWriteAsync(Store);
            await Store.DisposeAsync();
            await client.ExecuteAsync("RENAME TABLE analysis_function_minutes_away TO analysis_function_minutes", Ct);
        }
        await using var reopened = await OpenStoreAsync(_dataDirectory);
        await AssertOnlyTheFirstWriteAsync(reopened);

        var next = Row(3, 1, "api", T0 + 2);
        await reopened.WriteAsync(new AnalysisDelta([next.TraceId], [next], 3), Ct);
        Assert.Equal(3, await reopened.GetWatermarkAsync(Ct));
        Assert.Equal([kept.TraceId, next.TraceId], (await reopened.ListByFunctionAsync("api", TimeRange.All, 10, Ct)).Select(r => r.TraceId));
        Assert.Equal(2, Assert.Single(await reopened.ListFunctionMinutesAsync(null, TimeRange.All, Ct)).Invocations);
        Assert.Empty(await reopened.ListByFunctionAsync("moved", TimeRange.All, 10, Ct));
        Assert.Empty(await reopened.ListByRecordKeyAsync("k2", 10, Ct));
    }

    private static async Task AssertOnlyTheFirstWriteAsync(IAnalysisStore store)
    {
        Assert.Equal(1, await store.GetWatermarkAsync(Ct));
        var only = Assert.Single(await store.ListByFunctionAsync("api", TimeRange.All, 10, Ct));
        Assert.True(only.Failed);
        Assert.Empty(await store.ListByFunctionAsync("moved", TimeRange.All, 10, Ct));
        Assert.Empty(await store.ListByIssueAsync("bbbbbbbbbbbb", TimeRange.All, 10, Ct));
        Assert.Empty(await store.ListByRecordKeyAsync("k2", 10, Ct));
        Assert.Single(await store.ListByRecordKeyAsync("k1", 10, Ct));
        Assert.Equal(["aaaaaaaaaaaa"], (await store.ListIssuesAsync(TimeRange.All, null, 10, Ct)).Select(i => i.IssueId));
        Assert.Single(await store.GetInvocationsAsync([new InvocationKey(new UInt128(0xabcd, 1), 1)], Ct));
        Assert.Empty(await store.GetInvocationsAsync([new InvocationKey(new UInt128(0xabcd, 2), 1)], Ct));
    }

    [Fact]
    public async Task Re_putting_an_invocation_many_times_then_merging_every_part_still_reads_the_latest()
    {
        var other = Row(9, 1, "api", T0 + 60_000_000_000, issue: "cccccccccccc");
        await Store.WriteAsync(new AnalysisDelta([other.TraceId], [other], 1), Ct);
        for (var i = 0; i < 12; i++)
        {
            // Alternating between failed and not, and moving between two functions: both keys of the row get tombstones.
            var row = Row(1, 1, i % 3 == 0 ? "web" : "api", T0 + i % 2, issue: i % 2 == 0 ? "aaaaaaaaaaaa" : null, key: $"k{i}") with { CostUsd = i };
            await Store.WriteAsync(new AnalysisDelta([row.TraceId], [row], 2 + i), Ct);
        }
        using (var client = await ClientAsync())
        {
            foreach (var table in AnalysisSchema.DerivedTables)
                await client.ExecuteAsync($"OPTIMIZE TABLE {table} FINAL", Ct);
        }

        // The last write (i = 11): function api, start T0 + 1, not failed, key k11, cost 11.
        var latest = Assert.Single(await Store.GetInvocationsAsync([new InvocationKey(new UInt128(0xabcd, 1), 1)], Ct));
        Assert.Equal(("api", T0 + 1, false, 11m), (latest.Function, latest.StartTimeUnixNano, latest.Failed, latest.CostUsd));
        Assert.Equal([T0 + 1, other.StartTimeUnixNano], (await Store.ListByFunctionAsync("api", TimeRange.All, 10, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Empty(await Store.ListByFunctionAsync("web", TimeRange.All, 10, Ct));
        Assert.Empty(await Store.ListByIssueAsync("aaaaaaaaaaaa", TimeRange.All, 10, Ct));
        Assert.Empty(await Store.ListByRecordKeyAsync("k10", 10, Ct));
        Assert.Single(await Store.ListByRecordKeyAsync("k11", 10, Ct));
        Assert.Equal(["cccccccccccc"], (await Store.ListIssuesAsync(TimeRange.All, null, 10, Ct)).Select(i => i.IssueId));
        Assert.Equal([("api", T0, 1L, 11m), ("api", T0 + 60_000_000_000, 1L, 0.5m)],
            (await Store.ListFunctionMinutesAsync(null, TimeRange.All, Ct)).Select(m => (m.Function, m.MinuteUnixNano, m.Invocations, m.CostUsd)));
        Assert.Equal(["api"], await Store.ListFunctionsAsync(TimeRange.All, Ct));
        Assert.Equal(13, await Store.GetWatermarkAsync(Ct));
    }

    [Fact]
    public async Task Costs_keep_24_places_in_the_invocations_and_the_minute_sums()
    {
        var tiny = Row(1, 1, "api", T0) with { CostUsd = 0.000000000000000000000001m };
        var fine = Row(2, 1, "api", T0 + 1) with { CostUsd = 1_234.000000000000000000000002m };
        var finer = Row(3, 1, "api", T0 + 2) with { CostUsd = 0.0000000000000000000000004m }; // beyond 24 places: rounds to 0
        await Store.WriteAsync(new AnalysisDelta([tiny.TraceId, fine.TraceId, finer.TraceId], [tiny, fine, finer], 1), Ct);

        Assert.Equal([tiny.CostUsd, fine.CostUsd, 0m], (await Store.ListByFunctionAsync("api", TimeRange.All, 10, Ct)).Select(r => r.CostUsd));
        Assert.Equal(1_234.000000000000000000000003m, Assert.Single(await Store.ListFunctionMinutesAsync("api", TimeRange.All, Ct)).CostUsd);
        Assert.Equal(1_234.000000000000000000000003m, Assert.Single(await Store.GetFunctionFiguresAsync("api", TimeRange.All, Ct)).CostUsd);
    }
}
