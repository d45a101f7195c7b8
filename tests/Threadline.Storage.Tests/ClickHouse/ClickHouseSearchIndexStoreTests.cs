using System.Security.Cryptography;
using Threadline.Query.Syntax;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Derived.Search;
using Threadline.Storage.Derived.Search;
using Threadline.Storage.Tests.Search;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// The search index's conformance suite on a real ClickHouse server (each test its own database, named after the test's
/// data folder so that reopening the folder reopens the database), and the failure modes of its versioned writes.
/// </summary>
public sealed class ClickHouseSearchIndexStoreTests(ClickHouseServerFixture fixture) : SearchIndexStoreConformanceTests
{
    protected override async Task<ISearchIndexStore> OpenStoreAsync(string dataDirectory)
    {
        var database = DatabaseFor(dataDirectory);
        using (await fixture.CreateDatabaseAsync(database))
        {
        }
        return await ClickHouseSearchIndexStore.OpenAsync(await fixture.OptionsAsync(database), Ct);
    }

    private static string DatabaseFor(string dataDirectory) =>
        "search_" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..24];

    private async Task<ClickHouseClient> ClientAsync() => new(await fixture.OptionsAsync(DatabaseFor(Folder)));

    private static SearchRequest All => new(new MatchAllNode(), long.MinValue, long.MaxValue, 1000);

    private static string Key(SearchInvocationRow row) => $"{row.TraceId:x32}-{row.SpanId:x16}";

    [Fact]
    public async Task A_write_that_fails_part_way_is_invisible_also_after_reopening_and_the_next_write_succeeds()
    {
        var random = new RandomSearchRows(31);
        var kept = random.Row(1, 1) with { Texts = [new SearchTextRow("log", "kept text")] };
        await Store.ReplaceTracesAsync([1], [kept], 1, Ct);

        // The texts' table is written after the invocations' tombstones and rows: a write fails between them.
        var replacement = random.Row(1, 2) with { Texts = [new SearchTextRow("log", "lost text")] };
        var lost = random.Row(2, 3);
        using (var client = await ClientAsync())
        {
            await client.ExecuteAsync("RENAME TABLE search_texts TO search_texts_away", Ct);
            await Assert.ThrowsAnyAsync<ClickHouseServerException>(() => Store.ReplaceTracesAsync([1, 2], [replacement, lost], 2, Ct));
            await client.ExecuteAsync("RENAME TABLE search_texts_away TO search_texts", Ct);
        }
        Assert.Equal([Key(kept)], (await Store.SearchAsync(All, Ct)).Select(Key));
        Assert.Equal(1, await Store.GetWatermarkAsync(Ct));

        // Reopened (the base class disposes its store again, which does nothing).
        await Store.DisposeAsync();
        await using var store = await OpenStoreAsync(Folder);
        Assert.Equal([Key(kept)], (await store.SearchAsync(All, Ct)).Select(Key));
        Assert.Equal(1, await store.GetWatermarkAsync(Ct));
        Assert.Equal(["kept text"], (await store.GetInvocationsAsync([(1, 1)], Ct)).Single().Texts.Select(t => t.Text));
        Assert.Empty(await store.GetInvocationsAsync([(1, 2), (2, 3)], Ct));

        await store.ReplaceTracesAsync([1, 2], [replacement, lost], 3, Ct);
        Assert.Equal(new[] { replacement, lost }.OrderByDescending(r => r.StartTimeUnixNano).ThenByDescending(r => r.TraceId).Select(Key),
            (await store.SearchAsync(All, Ct)).Select(Key));
        Assert.Equal(["lost text"], (await store.GetInvocationsAsync([(1, 2)], Ct)).Single().Texts.Select(t => t.Text));
        Assert.Empty(await store.SearchAsync(All with { Query = new FreeTextNode("kept") }, Ct));
        Assert.Equal(3, await store.GetWatermarkAsync(Ct));
    }

    [Fact]
    public async Task Re_putting_an_invocation_many_times_then_optimize_final_still_reads_the_latest()
    {
        var random = new RandomSearchRows(37);
        SearchInvocationRow last = random.Row(5, 5);
        for (var i = 0; i < 12; i++)
        {
            // Every other version moves the start (a new key, the old one tombstoned) and changes the texts.
            last = random.Row(5, 5) with
            {
                StartTimeUnixNano = RandomSearchRows.T0 + (i % 2) * 1_000,
                Function = $"f{i}",
                Texts = i % 3 == 0 ? [] : [new SearchTextRow("log", $"text {i}")],
            };
            await Store.ReplaceTracesAsync([5], [last], i, Ct);
        }
        using (var client = await ClientAsync())
        {
            foreach (var table in new[] { "search_invocations", "search_texts", "search_starts", "search_resource_sets", "search_keys" })
                await client.ExecuteAsync($"OPTIMIZE TABLE {table} FINAL", Ct);
        }
        var all = await Store.SearchAsync(All, Ct);
        Assert.Equal(["f11"], all.Select(r => r.Function));
        var read = (await Store.GetInvocationsAsync([(5, 5)], Ct)).Single();
        Assert.Equal(last.StartTimeUnixNano, read.StartTimeUnixNano);
        Assert.Equal(last.Texts, read.Texts);
        Assert.Equal(1, await Store.CountAsync(All with { Query = new FreeTextNode("text 11") }, Ct));
        Assert.Equal(0, await Store.CountAsync(All with { Query = new FreeTextNode("text 10") }, Ct));
    }
}
