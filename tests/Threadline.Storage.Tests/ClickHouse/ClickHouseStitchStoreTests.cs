using System.Security.Cryptography;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Derived.Stitching;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// The ClickHouse stitch store runs the stitch conformance suite on a real server (one database per test, named after
/// the test's data folder so that reopening the folder reopens the database), plus the failure modes of its design:
/// versioned rows made visible by the write log, tombstones, merges, the span cutoffs and long id lists.
/// </summary>
public sealed class ClickHouseStitchStoreTests(ClickHouseServerFixture fixture) : StitchStoreConformanceTests
{
    private static readonly UInt128 TraceA = new(0x0a, 0x1111);
    private static readonly UInt128 TraceB = new(0x0b, 0x1111);
    private static readonly StitchId A1 = new(TraceA, 1);
    private static readonly StitchId A2 = new(TraceA, 2);
    private static readonly StitchId B1 = new(TraceB, 1);
    private const long Day = 86_400_000_000_000;

    private string _dataDirectory = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override IStitchStore OpenStore(string dataDirectory)
    {
        _dataDirectory = dataDirectory;
        return OpenAsync().GetAwaiter().GetResult();
    }

    private async Task<ClickHouseStitchStore> OpenAsync()
    {
        var database = DatabaseFor(_dataDirectory);
        using (await fixture.CreateDatabaseAsync(database))
            return await ClickHouseStitchStore.OpenAsync(await fixture.OptionsAsync(database), Ct);
    }

    private async Task<ClickHouseClient> ClientAsync() => new(await fixture.OptionsAsync(DatabaseFor(_dataDirectory)));

    private static string DatabaseFor(string dataDirectory) =>
        "stitch_" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..24];

    [Fact]
    public async Task A_write_that_fails_part_way_is_invisible_also_after_reopening_and_the_next_write_succeeds()
    {
        Store.Commit(new StitchDelta
        {
            Watermark = 1,
            SpansAdded = [new StitchSpanRow(TraceA, 1, 100, "a")],
            InvocationsPut = [Put(A1, "a", new StitchKeyRef(StitchKeyKind.Outbound, "k1"))],
            HopsPut = [Hop(A1, B1)],
            TransactionsPut = [new StitchTransactionPut(Summary(A1, 100), [A1, B1])],
        });
        var failing = new StitchDelta
        {
            Watermark = 2,
            SpansAdded = [new StitchSpanRow(TraceA, 2, 200, "lost")],
            SpansDeletedBefore = 150,
            InvocationsPut = [Put(A1, "lost", new StitchKeyRef(StitchKeyKind.Outbound, "k2"))],
            HopsDeleted = [(A1, B1)],
            TransactionsPut = [new StitchTransactionPut(Summary(A1, 5 * Day), [A1, A2])],
        };
        using (var client = await ClientAsync())
        {
            // Memberships are inserted last: every other table of the write holds its rows when it fails.
            await client.ExecuteAsync("RENAME TABLE stitch_memberships TO stitch_memberships_broken", Ct);
            try
            {
                Assert.Throws<ClickHouseServerException>(() => Store.Commit(failing));
            }
            finally
            {
                await client.ExecuteAsync("RENAME TABLE stitch_memberships_broken TO stitch_memberships", Ct);
            }
            // The failed write's summary row is still stored (the store's own clean-up stopped at the missing table).
            Assert.NotEqual("0", await client.ScalarAsync("SELECT count() FROM stitch_transactions WHERE version = 2", Ct));
        }
        AssertFirstWriteOnly(Store);

        await using (var reopened = await OpenAsync())
        {
            AssertFirstWriteOnly(reopened);
            using var client = await ClientAsync();
            foreach (var table in new[] { "stitch_spans", "stitch_span_cutoffs", "stitch_invocations", "stitch_keys", "stitch_hops", "stitch_memberships", "stitch_transactions" })
                Assert.Equal("0", await client.ScalarAsync($"SELECT count() FROM {table} WHERE version > 1", Ct));
        }

        Store.Commit(failing);
        Assert.Equal(2, Store.ReadWatermark());
        Assert.Equal([new StitchSpanRow(TraceA, 2, 200, "lost")], Store.LoadSpans([TraceA]));
        Assert.Equal("lost", Assert.Single(Store.LoadInvocations([A1])).Body);
        Assert.Empty(Store.FindKeys([new(StitchKeyKind.Outbound, "k1")]));
        Assert.Single(Store.FindKeys([new(StitchKeyKind.Outbound, "k2")]));
        Assert.Empty(Store.LoadHopsInto([B1]));
        Assert.Equal([A1, A2], Store.LoadMembers([A1]).Select(m => m.Member).Order());
        Assert.Empty(Store.LoadTransactionsOf([B1]));
        Assert.Equal(5 * Day, Assert.Single(Store.LoadTransactions([A1])).StartTimeUnixNano);
    }

    private static void AssertFirstWriteOnly(IStitchStore store)
    {
        Assert.Equal(1, store.ReadWatermark());
        Assert.Equal([new StitchSpanRow(TraceA, 1, 100, "a")], store.LoadSpans([TraceA]));
        Assert.Equal([new StitchInvocationRow(A1, 10, "a")], store.LoadInvocations([A1]));
        Assert.Equal([A1], store.FindKeys([new(StitchKeyKind.Outbound, "k1")]).Select(m => m.Invocation));
        Assert.Empty(store.FindKeys([new(StitchKeyKind.Outbound, "k2")]));
        Assert.Equal([Hop(A1, B1)], store.LoadHopsInto([B1]));
        Assert.Equal([Summary(A1, 100)], store.LoadTransactions([A1]));
        Assert.Equal([A1, B1], store.LoadMembers([A1]).Select(m => m.Member).Order());
        Assert.Equal([Summary(A1, 100)], store.ListTransactions(new StitchTransactionQuery(null, null, null, null, 10)));
    }

    [Fact]
    public async Task Re_putting_ids_many_times_then_merging_every_table_still_reads_the_latest()
    {
        for (var i = 1; i <= 30; i++)
        {
            Store.Commit(new StitchDelta
            {
                SpansAdded = [new StitchSpanRow(TraceA, 1, 100, "facts")],
                InvocationsPut = [Put(A1, $"v{i}", new StitchKeyRef(StitchKeyKind.Outbound, $"k{i}"), new StitchKeyRef(StitchKeyKind.RequestId, "req"))],
                HopsPut = [Hop(A1, B1) with { Via = $"via{i}" }],
                // The start moves across days: the old day's row must not come back.
                TransactionsPut = [new StitchTransactionPut(Summary(A1, i * Day + i) with { InvocationCount = i }, i % 2 == 0 ? [A1, B1] : [A1, A2])],
                Watermark = i,
            });
        }
        Store.Commit(new StitchDelta { InvocationsDeleted = [B1], HopsDeleted = [(A1, A2)], TransactionsPut = [new StitchTransactionPut(Summary(B1, 7), [B1])] });
        Store.Commit(new StitchDelta { TransactionsDeleted = [B1] });
        using (var client = await ClientAsync())
        {
            foreach (var table in new[] { "stitch_spans", "stitch_invocations", "stitch_keys", "stitch_hops", "stitch_memberships", "stitch_transactions" })
                await client.ExecuteAsync($"OPTIMIZE TABLE {table} FINAL", Ct);
        }

        Assert.Equal(30, Store.ReadWatermark());
        Assert.Equal([new StitchSpanRow(TraceA, 1, 100, "facts")], Store.LoadSpans([TraceA]));
        Assert.Equal([new StitchInvocationRow(A1, 10, "v30")], Store.LoadInvocations([A1]));
        Assert.Equal([A1], Store.FindKeys([new(StitchKeyKind.Outbound, "k30")]).Select(m => m.Invocation));
        Assert.Empty(Store.FindKeys([.. Enumerable.Range(1, 29).Select(i => new StitchKeyRef(StitchKeyKind.Outbound, $"k{i}"))]));
        Assert.Equal([A1], Store.FindKeys([new(StitchKeyKind.RequestId, "req")]).Select(m => m.Invocation));
        Assert.Equal([Hop(A1, B1) with { Via = "via30" }], Store.LoadHopsOutOf([A1]));
        var latest = Summary(A1, 30 * Day + 30) with { InvocationCount = 30 };
        Assert.Equal([latest], Store.LoadTransactions([A1]));
        Assert.Equal([latest], Store.ListTransactions(new StitchTransactionQuery(null, null, null, null, 10)));
        Assert.Empty(Store.ListTransactions(new StitchTransactionQuery(0, 30 * Day, null, null, 10)));
        Assert.Equal([A1, B1], Store.LoadMembers([A1]).Select(m => m.Member).Order());
        Assert.Empty(Store.LoadTransactionsOf([A2]));
        Assert.Empty(Store.LoadTransactions([B1]));
    }

    [Fact]
    public async Task Retention_hides_older_span_rows_at_once_and_purges_them_while_later_and_readded_spans_stay()
    {
        Store.Commit(new StitchDelta { SpansAdded = [new StitchSpanRow(TraceA, 1, 100, "old"), new StitchSpanRow(TraceA, 2, 2 * Day, "new")] });

        Store.Commit(new StitchDelta { SpansDeletedBefore = Day, SpansAdded = [new StitchSpanRow(TraceB, 1, 50, "added with the cutoff")] });

        Assert.Equal(["new"], Store.LoadSpans([TraceA]).Select(s => s.Facts));
        Assert.Equal(["added with the cutoff"], Store.LoadSpans([TraceB]).Select(s => s.Facts));
        Assert.Equal([TraceB], Store.TracesWithSpansStartedBefore(Day));
        using var client = await ClientAsync();
        Assert.Equal("0", await client.ScalarAsync("SELECT count() FROM stitch_spans WHERE facts = 'old'", Ct));
        Assert.Equal("0", await client.ScalarAsync("SELECT count() FROM stitch_span_cutoffs", Ct));

        Store.Commit(new StitchDelta { SpansAdded = [new StitchSpanRow(TraceA, 1, 100, "old again")] });
        Assert.Equal(["old again", "new"], Store.LoadSpans([TraceA]).OrderBy(s => s.StartTimeUnixNano).Select(s => s.Facts));
    }

    [Fact]
    public async Task A_summary_whose_start_changed_is_listed_only_at_its_new_start_also_after_merging()
    {
        Store.Commit(new StitchDelta { TransactionsPut = [new StitchTransactionPut(Summary(A1, 100), [A1]) { IsNew = true }] });
        Store.Commit(new StitchDelta { TransactionsPut = [new StitchTransactionPut(Summary(A1, 200), [A1])] });
        Store.Commit(new StitchDelta { TransactionsPut = [new StitchTransactionPut(Summary(B1, 300), [B1]) { IsNew = true }] });
        Store.Commit(new StitchDelta { TransactionsDeleted = [B1] });

        for (var merged = 0; merged < 2; merged++)
        {
            Assert.Empty(Store.ListTransactions(new StitchTransactionQuery(50, 150, null, null, 10)));
            Assert.Equal([Summary(A1, 200)], Store.ListTransactions(new StitchTransactionQuery(150, 250, null, null, 10)));
            Assert.Equal([Summary(A1, 200)], Store.ListTransactions(new StitchTransactionQuery(null, null, null, "api", 10)));
            Assert.Empty(Store.ListTransactions(new StitchTransactionQuery(250, 350, null, null, 10)));
            Assert.Equal([Summary(A1, 200)], Store.LoadTransactions([A1, B1]));
            using var client = await ClientAsync();
            await client.ExecuteAsync("OPTIMIZE TABLE stitch_transactions FINAL", Ct);
        }
    }

    [Fact]
    public void A_key_with_escapes_is_replaced_like_any_other()
    {
        // The previous keys are read back from the invocation's arrays: every escape must survive the round trip.
        var tricky = new StitchKeyRef(StitchKeyKind.DynamoWrite, "orders\tpk='1'\\x\n\u00fc\u0001[,]");
        Store.Commit(new StitchDelta { InvocationsPut = [Put(A1, "a", tricky, new StitchKeyRef(StitchKeyKind.Inbound, "plain"))] });
        Assert.Equal([A1], Store.FindKeys([tricky]).Select(m => m.Invocation));

        Store.Commit(new StitchDelta { InvocationsPut = [Put(A1, "b", new StitchKeyRef(StitchKeyKind.Inbound, "plain"))] });

        Assert.Empty(Store.FindKeys([tricky]));
        Store.Commit(new StitchDelta { InvocationsDeleted = [A1] });
        Assert.Empty(Store.FindKeys([new StitchKeyRef(StitchKeyKind.Inbound, "plain")]));
    }

    [Fact]
    public async Task Rows_of_a_write_not_completed_are_not_seen()
    {
        Store.Commit(new StitchDelta { Watermark = 1, InvocationsPut = [Put(A1, "done", new StitchKeyRef(StitchKeyKind.Inbound, "k"))] });
        using var client = await ClientAsync();
        // What a write in progress has inserted so far: version 2, whose completion row is not in yet.
        await client.ExecuteAsync("INSERT INTO stitch_invocations (trace_hi, trace_lo, span_id, body, deleted, version) VALUES (10, 4369, 1, '', 1, 2)", Ct);
        await client.ExecuteAsync("INSERT INTO stitch_keys (kind, key, trace_hi, trace_lo, span_id, deleted, version) VALUES (2, 'k', 10, 4369, 1, 1, 2), (2, 'k', 11, 4369, 1, 0, 2)", Ct);
        await client.ExecuteAsync("INSERT INTO stitch_span_cutoffs (cutoff_unix_nano, version) VALUES (1000, 2)", Ct);
        await client.ExecuteAsync("INSERT INTO stitch_spans (trace_hi, trace_lo, span_id, start_unix_nano, facts, version) VALUES (10, 4369, 9, 5, 'x', 2)", Ct);

        Assert.Equal("done", Assert.Single(Store.LoadInvocations([A1])).Body);
        Assert.Equal([A1], Store.FindKeys([new(StitchKeyKind.Inbound, "k")]).Select(m => m.Invocation));
        Assert.Empty(Store.LoadSpans([TraceA]));
        Assert.Equal(1, Store.ReadWatermark());
    }

    [Fact]
    public void Calls_with_20000_ids_find_all_of_them()
    {
        var ids = Enumerable.Range(1, 20_000).Select(i => new StitchId(new UInt128(ulong.MaxValue - (ulong)i, ulong.MaxValue - (ulong)(i % 11)), ulong.MaxValue - (ulong)(i % 17))).ToList();
        Store.Commit(new StitchDelta
        {
            SpansAdded = [.. ids.Select(id => new StitchSpanRow(id.TraceId, id.SpanId, 1, "f"))],
            InvocationsPut = [.. ids.Select(id => Put(id, "b", new StitchKeyRef(StitchKeyKind.DynamoWrite, $"orders\npk='{id.TraceId}'")) with { IsNew = true })],
            TransactionsPut = [.. ids.Select(id => new StitchTransactionPut(Summary(id, 1), [id]) { IsNew = true })],
        });

        Assert.Equal(20_000, Store.LoadSpans([.. ids.Select(id => id.TraceId)]).Count);
        Assert.Equal(20_000, Store.LoadInvocations(ids).Count);
        Assert.Equal(20_000, Store.LoadInvocationsOfTraces([.. ids.Select(id => id.TraceId)]).Count);
        Assert.Equal(20_000, Store.FindKeys([.. ids.Select(id => new StitchKeyRef(StitchKeyKind.DynamoWrite, $"orders\npk='{id.TraceId}'"))]).Count);
        Assert.Equal(20_000, Store.LoadMembers(ids).Count);
        Assert.Equal(20_000, Store.LoadTransactionsOf(ids).Count);
        Assert.Equal(20_000, Store.LoadTransactions(ids).Count);

        // Replacing all of them reads their previous keys and members in pieces too.
        Store.Commit(new StitchDelta { InvocationsDeleted = ids, TransactionsDeleted = ids });
        Assert.Empty(Store.LoadInvocations(ids));
        Assert.Empty(Store.FindKeys([.. ids.Select(id => new StitchKeyRef(StitchKeyKind.DynamoWrite, $"orders\npk='{id.TraceId}'"))]));
        Assert.Empty(Store.LoadTransactionsOf(ids));
    }

    private static StitchInvocationPut Put(StitchId id, string body, params StitchKeyRef[] keys) => new(new StitchInvocationRow(id, 10, body), keys);

    private static StitchHopRow Hop(StitchId from, StitchId to) => new(from, to, 1, "sqs", "queue-1", "sqs.messageId", 1_000, 2_000);

    private static StitchTransactionRow Summary(StitchId entry, long start) => new(entry, start, 12.5, 1, 2, 0, "apigateway", "api", null);
}
