using System.Security.Cryptography;
using Threadline.Query.Fields;
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

    [Fact]
    public async Task Pages_read_newest_first_in_windows_span_days_and_sparse_ranges_without_gaps_or_repeats()
    {
        // Starts over twelve days with gaps of days, some before 1970 (negative days), some sharing a start.
        var random = new RandomSearchRows(41);
        var generator = new Random(41);
        var rows = new List<SearchInvocationRow>();
        for (var i = 0; i < 90; i++)
        {
            var day = generator.Next(4) switch { 0 => 0, 1 => 3, 2 => 11, _ => -2 };
            var start = (i < 30 ? RandomSearchRows.T0 : 0) + day * 86_400_000_000_000L + generator.NextInt64(86_400_000_000_000) / 1_000_000 * 1_000_000;
            rows.Add(random.Row((UInt128)(i % 17 + 1), (ulong)i + 1) with { StartTimeUnixNano = i % 10 == 0 && rows.Count > 0 ? rows[^1].StartTimeUnixNano : start });
        }
        foreach (var trace in rows.GroupBy(r => r.TraceId))
            await Store.ReplaceTracesAsync([trace.Key], [.. trace], null, Ct);
        var expected = rows.OrderByDescending(r => r.StartTimeUnixNano).ThenByDescending(r => r.TraceId).ThenByDescending(r => r.SpanId).Select(Key).ToList();

        foreach (var (from, to) in new[] { (long.MinValue, long.MaxValue), (-5 * 86_400_000_000_000L, RandomSearchRows.T0 + 20 * 86_400_000_000_000L) })
        {
            var all = new List<string>();
            SearchCursor? cursor = null;
            while (true)
            {
                var page = await Store.SearchAsync(new SearchRequest(new MatchAllNode(), from, to, 7, cursor), Ct);
                all.AddRange(page.Select(Key));
                if (page.Count < 7)
                    break;
                cursor = new SearchCursor(page[^1].StartTimeUnixNano, page[^1].TraceId, page[^1].SpanId);
            }
            var inRange = rows.Where(r => r.StartTimeUnixNano >= from && r.StartTimeUnixNano < to).Select(Key).ToHashSet();
            Assert.Equal(expected.Where(inRange.Contains), all);
        }
        var oneDay = await Store.SearchAsync(new SearchRequest(new MatchAllNode(), RandomSearchRows.T0 + 3 * 86_400_000_000_000L, RandomSearchRows.T0 + 4 * 86_400_000_000_000L, 1000), Ct);
        Assert.Equal(rows.Where(r => r.StartTimeUnixNano >= RandomSearchRows.T0 + 3 * 86_400_000_000_000L && r.StartTimeUnixNano < RandomSearchRows.T0 + 4 * 86_400_000_000_000L).Count(), oneDay.Count);
    }

    [Fact]
    public async Task The_write_after_a_failed_one_stores_again_the_attribute_keys_and_resource_sets_the_failed_one_had_inserted()
    {
        var row = new RandomSearchRows(43).Row(9, 9) with
        {
            Attributes =
            [
                SearchAttributeRow.OfText(AttributeScope.Resource, "cloud.region", "eu-west-1"),
                SearchAttributeRow.OfNumber(AttributeScope.Span, "retry.count", 3),
            ],
        };
        // search_keys is inserted last: the resource set is in when the write fails.
        using (var client = await ClientAsync())
        {
            await client.ExecuteAsync("RENAME TABLE search_keys TO search_keys_away", Ct);
            await Assert.ThrowsAnyAsync<ClickHouseServerException>(() => Store.ReplaceTracesAsync([9], [row], 1, Ct));
            await client.ExecuteAsync("RENAME TABLE search_keys_away TO search_keys", Ct);
        }
        Assert.Empty(await Store.AttributeKeysAsync(AttributeScope.Resource, "", 10, Ct));

        await Store.ReplaceTracesAsync([9], [row], 2, Ct);
        Assert.Equal(["cloud.region"], await Store.AttributeKeysAsync(AttributeScope.Resource, "", 10, Ct));
        Assert.Equal(["retry.count"], await Store.AttributeKeysAsync(AttributeScope.Span, "", 10, Ct));
        var region = new TermNode(new AttributeField(AttributeScope.Resource, "cloud.region"), ComparisonOperator.Equal, new TextValue("eu-west-1"));
        Assert.Equal(1, await Store.CountAsync(All with { Query = region }, Ct));
        Assert.Equal(row.Attributes.ToHashSet(), (await Store.GetInvocationsAsync([(9, 9)], Ct)).Single().Attributes.ToHashSet());
        Assert.Equal([new SearchValueCount("eu-west-1", "string", 1)],
            await Store.TopValuesAsync(new MatchAllNode(), long.MinValue, long.MaxValue, new AttributeField(AttributeScope.Resource, "cloud.region"), "", 10, Ct));
    }

    [Fact]
    public async Task Free_text_folds_case_as_the_reference_evaluator_does()
    {
        string[] texts = ["x \u212A", "ÉCOLE normale", "ПРИВЕТ мир", "straße", "Payment RECEIPT", "İstanbul"];
        var random = new RandomSearchRows(47);
        var rows = texts.Select((text, i) => random.Row(11, (ulong)i + 1) with { Texts = [new SearchTextRow("log", text)] }).ToList();
        await Store.ReplaceTracesAsync([11], rows, 1, Ct);
        foreach (var term in new[] { "k", "K", "école", "привет", "STRASSE", "straSSe", "STRAẞE", "payment receipt", "istanbul", "İSTANBUL", "\u212A" })
        {
            var query = new FreeTextNode(term);
            var expected = rows.Where(r => Threadline.Query.Evaluation.QueryEvaluator.Matches(query, new SearchRowDocument(r))).Select(Key).Order();
            Assert.Equal(expected, (await Store.SearchAsync(All with { Query = query }, Ct)).Select(Key).Order());
        }
    }
}
