using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.Tests;

/// <summary>
/// The stitch store contract as tests: every backend derives from this class and supplies <see cref="OpenStore"/>.
/// Ids are chosen so that span ids repeat across traces and trace ids share their low 64 bits: a lookup must match
/// the whole id.
/// </summary>
public abstract class StitchStoreConformanceTests : IAsyncLifetime
{
    private static readonly UInt128 TraceA = new(0x0a, 0x1111);
    private static readonly UInt128 TraceB = new(0x0b, 0x1111);
    private static readonly UInt128 TraceC = new(0x0c, 0x2222);
    private static readonly StitchId A1 = new(TraceA, 1);
    private static readonly StitchId A2 = new(TraceA, 2);
    private static readonly StitchId B1 = new(TraceB, 1);
    private static readonly StitchId C7 = new(TraceC, 7);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));

    protected IStitchStore Store { get; private set; } = null!;

    /// <summary>Opens the backend on the given folder (reopening must find what was written before).</summary>
    protected abstract IStitchStore OpenStore(string dataDirectory);

    public ValueTask InitializeAsync()
    {
        Store = OpenStore(_dataDirectory);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public void An_empty_store_has_watermark_0_and_finds_nothing()
    {
        Assert.Equal(0, Store.ReadWatermark());
        Assert.Empty(Store.LoadSpans([TraceA]));
        Assert.Empty(Store.LoadInvocations([A1]));
        Assert.Empty(Store.FindKeys([new StitchKeyRef(StitchKeyKind.Outbound, "k")]));
        Assert.Empty(Store.ListTransactions(new StitchTransactionQuery(null, null, null, null, 10)));
        Assert.Empty(Store.LoadSpans([]));
        Assert.Empty(Store.LoadInvocations([]));
    }

    [Fact]
    public void Span_facts_are_loaded_by_trace_with_the_whole_trace_id()
    {
        Store.Commit(new StitchDelta { SpansAdded = [Span(TraceA, 1, 100), Span(TraceA, 2, 200), Span(TraceB, 1, 300), Span(TraceC, 7, 400)] });

        Assert.Equal([Span(TraceA, 1, 100), Span(TraceA, 2, 200)], Store.LoadSpans([TraceA]).OrderBy(s => s.SpanId));
        Assert.Equal([Span(TraceB, 1, 300), Span(TraceC, 7, 400)], Store.LoadSpans([TraceB, TraceC]).OrderBy(s => s.StartTimeUnixNano));
        Assert.Equal([TraceA, TraceB], Store.TracesWithSpansStartedBefore(301).Order());
    }

    [Fact]
    public void Deleting_spans_before_a_cutoff_keeps_the_later_ones_and_the_additions_of_the_same_delta()
    {
        Store.Commit(new StitchDelta { SpansAdded = [Span(TraceA, 1, 100), Span(TraceA, 2, 200)] });

        Store.Commit(new StitchDelta { SpansDeletedBefore = 150, SpansAdded = [Span(TraceB, 1, 50)] });

        Assert.Equal([Span(TraceA, 2, 200)], Store.LoadSpans([TraceA]));
        Assert.Equal([Span(TraceB, 1, 50)], Store.LoadSpans([TraceB]));
    }

    [Fact]
    public void An_invocation_put_again_replaces_its_body_and_all_its_keys()
    {
        Store.Commit(new StitchDelta
        {
            InvocationsPut =
            [
                Put(A1, "v1", new(StitchKeyKind.Outbound, "sqs:msg:1"), new(StitchKeyKind.RequestId, "req-1")),
                Put(B1, "b", new StitchKeyRef(StitchKeyKind.Outbound, "sqs:msg:1"), new StitchKeyRef(StitchKeyKind.Inbound, "span:x")),
            ],
        });
        Store.Commit(new StitchDelta { InvocationsPut = [Put(A1, "v2", new StitchKeyRef(StitchKeyKind.Outbound, "sqs:msg:2"))] });

        Assert.Equal([new StitchInvocationRow(A1, 10, "v2")], Store.LoadInvocations([A1]));
        Assert.Equal([new StitchKeyMatch(new(StitchKeyKind.Outbound, "sqs:msg:1"), B1)], Store.FindKeys([new(StitchKeyKind.Outbound, "sqs:msg:1")]));
        Assert.Equal([new StitchKeyMatch(new(StitchKeyKind.Outbound, "sqs:msg:2"), A1)], Store.FindKeys([new(StitchKeyKind.Outbound, "sqs:msg:2")]));
        Assert.Empty(Store.FindKeys([new(StitchKeyKind.RequestId, "req-1")]));
        Assert.Empty(Store.FindKeys([new(StitchKeyKind.Inbound, "sqs:msg:1")]));
    }

    [Fact]
    public void Invocations_are_loaded_by_id_and_by_trace_and_deleted_with_their_keys()
    {
        Store.Commit(new StitchDelta { InvocationsPut = [Put(A1, "a1", new StitchKeyRef(StitchKeyKind.Inbound, "k")), Put(A2, "a2"), Put(B1, "b1", new StitchKeyRef(StitchKeyKind.Inbound, "k")), Put(C7, "c7")] });

        Assert.Equal(["a1", "b1"], Store.LoadInvocations([A1, B1]).Select(i => i.Body).Order());
        Assert.Equal(["a1", "a2"], Store.LoadInvocationsOfTraces([TraceA]).Select(i => i.Body).Order());
        Assert.Equal([A1, B1], Store.FindKeys([new(StitchKeyKind.Inbound, "k")]).Select(m => m.Invocation).Order());

        Store.Commit(new StitchDelta { InvocationsDeleted = [A1, new StitchId(TraceC, 1)] });

        Assert.Empty(Store.LoadInvocations([A1]));
        Assert.Equal(["b1", "c7"], Store.LoadInvocations([A1, B1, C7]).Select(i => i.Body).Order());
        Assert.Equal([B1], Store.FindKeys([new(StitchKeyKind.Inbound, "k")]).Select(m => m.Invocation));
    }

    [Fact]
    public void Keys_of_different_kinds_or_text_do_not_match_each_other()
    {
        Store.Commit(new StitchDelta
        {
            InvocationsPut = [Put(A1, "a", new(StitchKeyKind.DynamoWrite, "orders\npk=1"), new(StitchKeyKind.DynamoRead, "orders\npk=1"), new(StitchKeyKind.Outbound, "ünïcode 'quoted'"))],
        });

        Assert.Equal(
            [new StitchKeyMatch(new(StitchKeyKind.Outbound, "ünïcode 'quoted'"), A1), new StitchKeyMatch(new(StitchKeyKind.DynamoRead, "orders\npk=1"), A1)],
            Store.FindKeys([new(StitchKeyKind.DynamoRead, "orders\npk=1"), new(StitchKeyKind.Outbound, "ünïcode 'quoted'"), new(StitchKeyKind.Inbound, "orders\npk=1")])
                .OrderBy(m => m.Key.Kind));
    }

    [Fact]
    public void Hops_are_found_by_either_end_replaced_by_both_ends_and_deleted()
    {
        var ab = Hop(A1, B1, "sqs");
        var ac = Hop(A1, C7, "sns");
        var cb = Hop(C7, B1, "lambda");
        Store.Commit(new StitchDelta { HopsPut = [ab, ac, cb] });

        Assert.Equal([ab, ac], Store.LoadHopsOutOf([A1]).OrderBy(h => h.To.TraceId));
        Assert.Equal([ab, cb], Store.LoadHopsInto([B1]).OrderBy(h => h.From.TraceId));
        Assert.Empty(Store.LoadHopsInto([new StitchId(TraceA, 7)]));

        var abAgain = ab with { Via = "otel.link", Resource = null };
        Store.Commit(new StitchDelta { HopsPut = [abAgain], HopsDeleted = [(C7, B1)] });

        Assert.Equal([abAgain], Store.LoadHopsInto([B1]));
        Assert.Equal([abAgain, ac], Store.LoadHopsOutOf([A1]).OrderBy(h => h.To.TraceId));
    }

    [Fact]
    public void A_transaction_put_again_replaces_its_summary_and_whole_member_set()
    {
        Store.Commit(new StitchDelta { TransactionsPut = [new(Summary(A1, 100), [A1, B1]), new(Summary(C7, 50), [C7, B1])] });
        Store.Commit(new StitchDelta { TransactionsPut = [new(Summary(A1, 120) with { InvocationCount = 3 }, [A1, A2, C7])] });

        Assert.Equal([Summary(A1, 120) with { InvocationCount = 3 }], Store.LoadTransactions([A1]));
        Assert.Equal([A1, A2, C7], Store.LoadMembers([A1]).Select(m => m.Member).Order());
        Assert.Equal([new StitchMembershipRow(C7, B1)], Store.LoadTransactionsOf([B1]));
        Assert.Equal([A1, C7], Store.LoadTransactionsOf([C7]).Select(m => m.Entry).Order());

        Store.Commit(new StitchDelta { TransactionsDeleted = [C7] });

        Assert.Empty(Store.LoadTransactions([C7]));
        Assert.Empty(Store.LoadTransactionsOf([B1]));
    }

    [Fact]
    public void Puts_marked_new_are_written_like_others_and_a_later_put_replaces_them()
    {
        Store.Commit(new StitchDelta
        {
            InvocationsPut = [Put(A1, "a1", new StitchKeyRef(StitchKeyKind.Inbound, "k")) with { IsNew = true }],
            TransactionsPut = [new(Summary(A1, 100), [A1]) { IsNew = true }],
        });
        Store.Commit(new StitchDelta
        {
            InvocationsPut = [Put(A1, "a1b", new StitchKeyRef(StitchKeyKind.Inbound, "k2"))],
            TransactionsPut = [new(Summary(A1, 110), [A1, B1])],
        });

        Assert.Equal([new StitchInvocationRow(A1, 10, "a1b")], Store.LoadInvocations([A1]));
        Assert.Empty(Store.FindKeys([new(StitchKeyKind.Inbound, "k")]));
        Assert.Equal([Summary(A1, 110)], Store.LoadTransactions([A1]));
        Assert.Equal([A1, B1], Store.LoadMembers([A1]).Select(m => m.Member).Order());
    }

    [Fact]
    public void The_list_is_latest_first_within_the_range_filtered_and_limited()
    {
        var summaries = new[]
        {
            Summary(new StitchId(TraceA, 1), 100),
            Summary(new StitchId(TraceB, 1), 300) with { Status = 2, EntryKind = "sqs" },
            Summary(new StitchId(TraceA, 3), 300),
            Summary(new StitchId(TraceC, 1), 200) with { EntryName = "checkout" },
            Summary(new StitchId(TraceA, 5), 400) with { EntryResource = "orders" },
        };
        Store.Commit(new StitchDelta { TransactionsPut = [.. summaries.Select(s => new StitchTransactionPut(s, [s.Entry]))] });

        Assert.Equal([400L, 300, 300, 200, 100], Store.ListTransactions(new(null, null, null, null, 10)).Select(s => s.StartTimeUnixNano));
        // Equal starts: the lower entry id (trace id, then span id) first.
        Assert.Equal([new StitchId(TraceA, 3), new StitchId(TraceB, 1)], Store.ListTransactions(new(300, 301, null, null, 10)).Select(s => s.Entry));
        Assert.Equal([300L, 300, 200], Store.ListTransactions(new(200, 400, null, null, 10)).Select(s => s.StartTimeUnixNano));
        Assert.Equal([400L, 300], Store.ListTransactions(new(null, null, null, null, 2)).Select(s => s.StartTimeUnixNano));
        Assert.Equal([new StitchId(TraceB, 1)], Store.ListTransactions(new(null, null, 2, null, 10)).Select(s => s.Entry));
        Assert.Equal([new StitchId(TraceB, 1)], Store.ListTransactions(new(null, null, null, "sqs", 10)).Select(s => s.Entry));
        Assert.Equal([new StitchId(TraceC, 1)], Store.ListTransactions(new(null, null, null, "checkout", 10)).Select(s => s.Entry));
        Assert.Equal([new StitchId(TraceA, 5)], Store.ListTransactions(new(null, null, null, "orders", 10)).Select(s => s.Entry));
        Assert.Empty(Store.ListTransactions(new(400, 100, null, null, 10)));
        Assert.Empty(Store.ListTransactions(new(null, null, null, null, 0)));
    }

    [Fact]
    public void The_watermark_is_written_with_its_delta_and_kept_by_deltas_without_one()
    {
        Store.Commit(new StitchDelta { Watermark = 5, SpansAdded = [Span(TraceA, 1, 1)] });
        Store.Commit(new StitchDelta { SpansAdded = [Span(TraceA, 2, 2)] });
        Assert.Equal(5, Store.ReadWatermark());
        Store.Commit(new StitchDelta { Watermark = 9 });
        Assert.Equal(9, Store.ReadWatermark());
    }

    [Fact]
    public async Task Everything_committed_is_there_after_reopening()
    {
        Store.Commit(new StitchDelta
        {
            Watermark = 3,
            SpansAdded = [Span(TraceA, 1, 100)],
            InvocationsPut = [Put(A1, "a", new StitchKeyRef(StitchKeyKind.Outbound, "k"))],
            HopsPut = [Hop(A1, B1, "sqs")],
            TransactionsPut = [new(Summary(A1, 100), [A1, B1])],
        });
        await Store.DisposeAsync();
        Store = OpenStore(_dataDirectory);

        Assert.Equal(3, Store.ReadWatermark());
        Assert.Equal([Span(TraceA, 1, 100)], Store.LoadSpans([TraceA]));
        Assert.Equal([new StitchInvocationRow(A1, 10, "a")], Store.LoadInvocations([A1]));
        Assert.Equal([A1], Store.FindKeys([new(StitchKeyKind.Outbound, "k")]).Select(m => m.Invocation));
        Assert.Equal([Hop(A1, B1, "sqs")], Store.LoadHopsInto([B1]));
        Assert.Equal([Summary(A1, 100)], Store.LoadTransactions([A1]));
        Assert.Equal([A1, B1], Store.LoadMembers([A1]).Select(m => m.Member).Order());
    }

    [Fact]
    public void Lookups_of_many_ids_at_once_find_all_of_them()
    {
        var ids = Enumerable.Range(1, 1500).Select(i => new StitchId(new UInt128((ulong)i, (ulong)(i % 7)), (ulong)(i % 13))).ToList();
        Store.Commit(new StitchDelta { InvocationsPut = [.. ids.Select(id => Put(id, $"{id.TraceId}", new StitchKeyRef(StitchKeyKind.Inbound, $"k{id.TraceId}")))] });

        Assert.Equal(1500, Store.LoadInvocations(ids).Count);
        Assert.Equal(1500, Store.FindKeys([.. ids.Select(id => new StitchKeyRef(StitchKeyKind.Inbound, $"k{id.TraceId}"))]).Count);
        Store.Commit(new StitchDelta { InvocationsDeleted = ids[..1000] });
        Assert.Equal(ids[1000..], Store.LoadInvocations(ids).Select(i => i.Id).OrderBy(i => i.TraceId));
    }

    [Fact]
    public void A_failed_commit_writes_nothing()
    {
        Store.Commit(new StitchDelta { Watermark = 1, InvocationsPut = [Put(A1, "a")] });

        Assert.ThrowsAny<Exception>(() => Store.Commit(new StitchDelta
        {
            Watermark = 2,
            InvocationsDeleted = [A1],
            // A null body breaks the NOT NULL column after the delete ran in the same transaction.
            InvocationsPut = [Put(A2, null!)],
        }));

        Assert.Equal(1, Store.ReadWatermark());
        Assert.Equal([new StitchInvocationRow(A1, 10, "a")], Store.LoadInvocations([A1]));
        Assert.Empty(Store.LoadInvocations([A2]));
    }

    private static StitchSpanRow Span(UInt128 trace, ulong span, long start) => new(trace, span, start, $"{{\"span\":{span},\"q\":\"it's\"}}");

    private static StitchInvocationPut Put(StitchId id, string body, params StitchKeyRef[] keys) => new(new StitchInvocationRow(id, 10, body), keys);

    private static StitchHopRow Hop(StitchId from, StitchId to, string service) => new(from, to, 1, service, "queue-1", "sqs.messageId", 1_000, 2_000);

    private static StitchTransactionRow Summary(StitchId entry, long start) => new(entry, start, 12.5, 1, 2, 0, "apigateway", "api", null);
}
