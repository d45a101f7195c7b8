using Threadline.Query.Evaluation;
using Threadline.Query.Fields;
using Threadline.Query.Printing;
using Threadline.Query.Syntax;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.Tests.Search;

/// <summary>
/// What every backend's search index must do (issue 16): its translation of the query language gives exactly what the
/// reference evaluator gives over the same invocations, stored for real; pages, values, histogram, replacement of a
/// trace's rows, the watermark and retention. A backend runs it through a small subclass.
/// </summary>
public abstract class SearchIndexStoreConformanceTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "threadline-search-tests", Guid.NewGuid().ToString("n"));
    private ISearchIndexStore? _store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected ISearchIndexStore Store => _store ?? throw new InvalidOperationException("not opened");

    protected string Folder => _folder;

    protected abstract Task<ISearchIndexStore> OpenStoreAsync(string dataDirectory);

    public async ValueTask InitializeAsync() => _store = await OpenStoreAsync(_folder);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    private async Task<List<SearchInvocationRow>> StoreRowsAsync(RandomSearchRows random, int count, int traces)
    {
        var rows = random.Rows(count, traces);
        // Written in a few transactions, as the derivation writes them.
        foreach (var group in rows.GroupBy(r => r.TraceId).Chunk(7))
            await Store.ReplaceTracesAsync([.. group.Select(g => g.Key)], [.. group.SelectMany(g => g)], null, Ct);
        return rows;
    }

    private static string Key(SearchInvocationRow row) => $"{row.TraceId:x32}-{row.SpanId:x16}";

    private static IEnumerable<SearchInvocationRow> NewestFirst(IEnumerable<SearchInvocationRow> rows) =>
        rows.OrderByDescending(r => r.StartTimeUnixNano).ThenByDescending(r => r.TraceId).ThenByDescending(r => r.SpanId);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_queries_select_exactly_what_the_reference_evaluator_selects(int seed)
    {
        var random = new RandomSearchRows(seed);
        var rows = await StoreRowsAsync(random, 150, 60);
        var stored = await Store.GetInvocationsAsync([.. rows.Select(r => (r.TraceId, r.SpanId))], Ct);
        for (var i = 0; i < 250; i++)
        {
            var query = random.Query();
            var from = RandomSearchRows.T0 + (i % 3 == 0 ? RandomSearchRows.Span / 4 : 0);
            var to = RandomSearchRows.T0 + (i % 5 == 0 ? RandomSearchRows.Span / 2 : RandomSearchRows.Span);
            var expected = NewestFirst(stored.Where(r => r.StartTimeUnixNano >= from && r.StartTimeUnixNano < to && QueryEvaluator.Matches(query, new SearchRowDocument(r))))
                .Select(Key).ToList();
            var actual = (await Store.SearchAsync(new SearchRequest(query, from, to, 1000), Ct)).Select(Key).ToList();
            Assert.True(expected.SequenceEqual(actual), $"seed {seed}, query {i}: {QueryPrinter.Print(query)}\nexpected {expected.Count}: {string.Join(", ", expected.Take(5))}\nactual {actual.Count}: {string.Join(", ", actual.Take(5))}");
            Assert.Equal(expected.Count, await Store.CountAsync(new SearchRequest(query, from, to), Ct));
        }
    }

    [Fact]
    public async Task Stored_rows_read_back_whole_with_their_attributes_message_ids_and_texts()
    {
        var rows = await StoreRowsAsync(new RandomSearchRows(7), 40, 10);
        var read = (await Store.GetInvocationsAsync([.. rows.Select(r => (r.TraceId, r.SpanId))], Ct)).ToDictionary(Key);
        Assert.Equal(rows.Count, read.Count);
        foreach (var row in rows)
        {
            var back = read[Key(row)];
            Assert.Equal(row with { Attributes = [], MessageIds = [], Texts = [] }, back with { Attributes = [], MessageIds = [], Texts = [] });
            Assert.Equal(row.Attributes.ToHashSet(), back.Attributes.ToHashSet());
            Assert.Equal(row.MessageIds.Distinct().Order(StringComparer.Ordinal), back.MessageIds);
            Assert.Equal(row.Texts, back.Texts);
        }
    }

    [Fact]
    public async Task Pages_follow_each_other_through_the_cursor_without_gaps_or_repeats()
    {
        var rows = await StoreRowsAsync(new RandomSearchRows(11), 120, 30);
        var all = new List<string>();
        SearchCursor? cursor = null;
        while (true)
        {
            var page = await Store.SearchAsync(new SearchRequest(new MatchAllNode(), RandomSearchRows.T0, RandomSearchRows.T0 + RandomSearchRows.Span, 17, cursor), Ct);
            all.AddRange(page.Select(Key));
            if (page.Count < 17)
                break;
            cursor = new SearchCursor(page[^1].StartTimeUnixNano, page[^1].TraceId, page[^1].SpanId);
        }
        Assert.Equal(NewestFirst(rows).Select(Key), all);
    }

    [Fact]
    public async Task Top_values_and_the_histogram_count_the_matching_invocations()
    {
        var random = new RandomSearchRows(13);
        var rows = await StoreRowsAsync(random, 200, 50);
        var stored = await Store.GetInvocationsAsync([.. rows.Select(r => (r.TraceId, r.SpanId))], Ct);
        var (from, to) = (RandomSearchRows.T0, RandomSearchRows.T0 + RandomSearchRows.Span);
        QueryField[] fields =
        [
            new CatalogField(FieldCatalog.Function), new CatalogField(FieldCatalog.Status), new CatalogField(FieldCatalog.Error),
            new CatalogField(FieldCatalog.Version), new CatalogField(FieldCatalog.MessageId), new CatalogField(FieldCatalog.Vip),
            new AttributeField(AttributeScope.Span, "http.status_code"), new AttributeField(AttributeScope.Resource, "retry"),
        ];
        for (var i = 0; i < 20; i++)
        {
            var query = i == 0 ? new MatchAllNode() : random.Query(2);
            var matching = stored.Where(r => QueryEvaluator.Matches(query, new SearchRowDocument(r))).ToList();
            foreach (var field in fields)
            {
                var expected = matching
                    .SelectMany(r => Values(field, r).Distinct().Select(v => v))
                    .GroupBy(v => v)
                    .Select(g => (g.Key.Text, g.Key.Kind, (long)g.Count()))
                    .OrderByDescending(v => v.Item3)
                    .ToList();
                var actual = await Store.TopValuesAsync(query, from, to, field, "", 100, Ct);
                Assert.Equal(expected.ToHashSet(), actual.Select(v => (v.Value, v.Kind, v.Count)).ToHashSet());
                Assert.Equal(expected.Select(e => e.Item3), actual.Select(v => v.Count));
            }
            var width = RandomSearchRows.Span / 7;
            var buckets = matching.GroupBy(r => (r.StartTimeUnixNano - from) / width).OrderBy(g => g.Key)
                .Select(g => new SearchBucket(from + g.Key * width, g.Count()));
            Assert.Equal(buckets, await Store.HistogramAsync(query, from, to, width, Ct));
        }
        var prefixed = await Store.TopValuesAsync(new MatchAllNode(), from, to, new CatalogField(FieldCatalog.Function), "send", 10, Ct);
        Assert.NotEmpty(prefixed);
        Assert.All(prefixed, v => Assert.StartsWith("send", v.Value, StringComparison.Ordinal));
    }

    private static IEnumerable<(string Text, string Kind)> Values(QueryField field, SearchInvocationRow row) =>
        (field switch
        {
            AttributeField a => new SearchRowDocument(row).GetAttribute(a.Scope, a.Key),
            CatalogField c => new SearchRowDocument(row).GetValues(c.Definition),
            _ => [],
        }).Select(v => (v.ToString(), v.Kind switch { SearchValueKind.Number => "number", SearchValueKind.Boolean => "boolean", _ => "string" }));

    [Fact]
    public async Task Replacing_a_trace_removes_its_old_invocations_and_writing_the_same_rows_again_changes_nothing()
    {
        var random = new RandomSearchRows(17);
        var rows = await StoreRowsAsync(random, 30, 3);
        var trace = rows[0].TraceId;
        var replacement = random.Row(trace, 42);
        await Store.ReplaceTracesAsync([trace], [replacement], 5, Ct);
        await Store.ReplaceTracesAsync([trace], [replacement], 6, Ct);
        var all = await Store.SearchAsync(new SearchRequest(new MatchAllNode(), long.MinValue, long.MaxValue, 1000), Ct);
        Assert.Equal(NewestFirst(rows.Where(r => r.TraceId != trace).Append(replacement)).Select(Key), all.Select(Key));
        Assert.Equal(6, await Store.GetWatermarkAsync(Ct));
        Assert.Equal(replacement, (await Store.GetInvocationsAsync([(trace, 42)], Ct)).Single() with { Attributes = replacement.Attributes, MessageIds = replacement.MessageIds, Texts = replacement.Texts });
    }

    [Fact]
    public async Task Replacing_invocations_removes_only_those_listed_and_a_new_trace_needs_no_listing()
    {
        var random = new RandomSearchRows(23);
        var trace = (UInt128)0xABCDEF;
        var kept = random.Row(trace, 1) with { StartTimeUnixNano = RandomSearchRows.T0 + 10 };
        var merged = random.Row(trace, 2) with { StartTimeUnixNano = RandomSearchRows.T0 + 20 };
        var replaced = random.Row(trace, 3) with { StartTimeUnixNano = RandomSearchRows.T0 + 30 };
        await Store.ReplaceTracesAsync(new SearchIndexWrite([kept, merged, replaced], 1) { NewTraces = new HashSet<UInt128> { trace } }, Ct);

        // Invocation 2 became part of invocation 3 (listed with its spans); 1 is untouched. The bound is the earliest
        // start of what is removed.
        var grown = random.Row(trace, 3) with { StartTimeUnixNano = RandomSearchRows.T0 + 20 };
        var other = random.Row(77, 5);
        await Store.ReplaceTracesAsync(new SearchIndexWrite([grown, other], 2)
        {
            Invocations = [(trace, 3), (trace, 2), (trace, 9)],
            NewTraces = new HashSet<UInt128> { 77 },
            StoredFromUnixNano = RandomSearchRows.T0 + 20,
        }, Ct);

        var all = await Store.SearchAsync(new SearchRequest(new MatchAllNode(), long.MinValue, long.MaxValue, 1000), Ct);
        Assert.Equal(NewestFirst([kept, grown, other]).Select(Key), all.Select(Key));
        var texts = (await Store.GetInvocationsAsync([(trace, 3)], Ct)).Single().Texts;
        Assert.Equal(grown.Texts.Select(t => t.Source + ":" + t.Text).Order(), texts.Select(t => t.Source + ":" + t.Text).Order());
        Assert.Equal(2, await Store.GetWatermarkAsync(Ct));
    }

    [Fact]
    public async Task A_row_neither_replaced_nor_of_a_new_trace_is_refused()
    {
        var random = new RandomSearchRows(29);
        var row = random.Row(1, 1);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReplaceTracesAsync(new SearchIndexWrite([row], 3) { Invocations = [(1, 2)], NewTraces = new HashSet<UInt128> { 2 } }, Ct));
        Assert.Equal(0, await Store.GetWatermarkAsync(Ct));
        Assert.Empty(await Store.SearchAsync(new SearchRequest(new MatchAllNode(), long.MinValue, long.MaxValue), Ct));
    }

    [Fact]
    public async Task A_row_of_another_trace_is_refused_and_nothing_is_written()
    {
        var random = new RandomSearchRows(19);
        var row = random.Row(1, 1);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReplaceTracesAsync([2], [row], 3, Ct));
        Assert.Equal(0, await Store.GetWatermarkAsync(Ct));
        Assert.Empty(await Store.SearchAsync(new SearchRequest(new MatchAllNode(), long.MinValue, long.MaxValue), Ct));
    }

    [Fact]
    public async Task Retention_removes_the_invocations_that_started_before_the_cutoff_with_their_side_rows()
    {
        var rows = await StoreRowsAsync(new RandomSearchRows(23), 80, 20);
        var cutoff = RandomSearchRows.T0 + RandomSearchRows.Span / 2;
        await Store.DeleteStartedBeforeAsync(cutoff, Ct);
        var left = await Store.SearchAsync(new SearchRequest(new MatchAllNode(), long.MinValue, long.MaxValue, 1000), Ct);
        Assert.Equal(NewestFirst(rows.Where(r => r.StartTimeUnixNano >= cutoff)).Select(Key), left.Select(Key));
        var gone = rows.Where(r => r.StartTimeUnixNano < cutoff).Select(r => (r.TraceId, r.SpanId)).ToList();
        Assert.Empty(await Store.GetInvocationsAsync(gone, Ct));
        Assert.Empty(await Store.SearchAsync(new SearchRequest(new FreeTextNode("e"), long.MinValue, cutoff, 1000), Ct));
    }

    [Fact]
    public async Task Attribute_keys_are_listed_by_scope_and_prefix_and_kept_after_a_restart()
    {
        await StoreRowsAsync(new RandomSearchRows(29), 60, 10);
        Assert.Equal(["http.route", "http.status_code"], await Store.AttributeKeysAsync(AttributeScope.Span, "http.", 10, Ct));
        await Store.DisposeAsync();
        _store = await OpenStoreAsync(_folder);
        Assert.Equal(["http.route", "http.status_code"], await Store.AttributeKeysAsync(AttributeScope.Resource, "http", 10, Ct));
        var query = new TermNode(new AttributeField(AttributeScope.Span, "http.status_code"), ComparisonOperator.GreaterOrEqual, new NumberValue(400));
        Assert.NotEmpty(await Store.SearchAsync(new SearchRequest(query, long.MinValue, long.MaxValue), Ct));
    }
}
