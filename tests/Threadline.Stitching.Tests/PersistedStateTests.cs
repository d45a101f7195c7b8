using Threadline.Stitching.Persistence;
using Threadline.Storage.Derived.Stitching;
using static Threadline.Stitching.Tests.Harness;

namespace Threadline.Stitching.Tests;

/// <summary>The persisted stitch state in the cases that matter most on their own; the property covers the rest.</summary>
public sealed class PersistedStateTests
{
    [Fact]
    public async Task A_consumer_whose_producer_left_the_cache_long_ago_still_links()
    {
        var s = new ContractSpans();
        var api = s.Lambda("api", "orders-api", "apigateway", "POST /orders").SendMessage("jobs", "m1");
        for (var i = 0; i < 20; i++)
            s.Lambda($"other{i}", "reports", "apigateway", "GET /reports");
        s.Tick(60_000);
        var worker = s.Lambda("worker", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        var spans = s.Spans();
        await using var stitch = new PersistedStitch(cacheTraces: 1);

        stitch.Ingest([.. spans.Where(x => x.TraceId == api.TraceId)]);
        foreach (var other in spans.Where(x => x.TraceId != api.TraceId && x.TraceId != worker.TraceId))
            stitch.Ingest([other]);
        stitch.Ingest([.. spans.Where(x => x.TraceId == worker.TraceId)]);

        Assert.Equal(["api -> worker async sqs jobs sqs.messageId"], Hops(stitch.Engine, s));
        Assert.Contains("api: api worker", Transactions(stitch.Engine, s));
        Assert.Equal(21, stitch.Engine.ListTransactions(new TransactionFilter()).Count);
    }

    [Fact]
    public async Task After_a_restart_the_transactions_are_read_from_the_store_and_new_spans_join_them()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway", "POST /orders").SendMessage("jobs", "m1", "m2");
        s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        var first = s.Spans();
        s.Lambda("c2", "worker", "sqs", "jobs", keys: ["sqs:msg:m2"]);
        await using var stitch = new PersistedStitch(cacheTraces: 100);
        stitch.Ingest(first);

        await stitch.RestartAsync();

        Assert.Equal(1, stitch.Watermark);
        Assert.Equal(["api: api c1"], Transactions(stitch.Engine, s));
        stitch.Ingest([.. s.Spans().Except(first)]);
        Assert.Equal(["api: api c1 c2"], Transactions(stitch.Engine, s));
        Assert.Equal(2, stitch.Watermark);
    }

    [Fact]
    public async Task Spans_seen_before_a_restart_are_duplicates_after_it()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").SendMessage("jobs", "m1");
        s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        await using var stitch = new PersistedStitch(cacheTraces: 1);
        stitch.Ingest(s.Spans());
        var before = stitch.Engine.ListTransactions(new TransactionFilter());

        await stitch.RestartAsync();
        var result = stitch.Engine.Ingest(s.Spans());
        stitch.State.Commit(2);

        Assert.Empty(result.ChangedInvocations);
        Assert.Empty(result.LinkedHops);
        Assert.Equal(before, stitch.Engine.ListTransactions(new TransactionFilter()));
    }

    [Fact]
    public async Task Queries_read_the_committed_state_not_a_derivation_in_progress()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").SendMessage("jobs", "m1");
        await using var stitch = new PersistedStitch(cacheTraces: 10);

        stitch.Engine.Ingest(s.Spans());
        Assert.Empty(stitch.Engine.ListTransactions(new TransactionFilter()));
        Assert.Empty(Invocations(stitch.Engine, s));

        stitch.State.Commit(1);
        Assert.Equal(["api: api"], Transactions(stitch.Engine, s));
    }

    [Fact]
    public async Task A_failed_commit_leaves_the_store_and_the_cache_as_they_were()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").SendMessage("jobs", "m1");
        var first = s.Spans();
        s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        await using var stitch = new PersistedStitch(cacheTraces: 10);
        var store = new FailingStore(stitch.Store);
        var state = new PersistentStitchState(store, 10);
        var engine = new StitchEngine(state);
        engine.Ingest(first);
        state.Commit(1);

        engine.Ingest([.. s.Spans().Except(first)]);
        store.Fail = true;
        Assert.Throws<IOException>(() => state.Commit(2));
        store.Fail = false;

        Assert.Equal(1, state.ReadWatermark());
        Assert.Equal(["api: api"], Transactions(engine, s));
        // Deriving the same spans again (as the server does from its watermark) gives the full answer.
        engine.Ingest([.. s.Spans().Except(first)]);
        state.Commit(2);
        Assert.Equal(["api: api c1"], Transactions(engine, s));
    }

    /// <summary>The real store, with commits that fail while <see cref="Fail"/> is set (a full disk, say).</summary>
    private sealed class FailingStore(IStitchStore inner) : IStitchStore
    {
        public bool Fail { get; set; }

        public void Commit(StitchDelta delta)
        {
            if (Fail)
                throw new IOException("No space left on device.");
            inner.Commit(delta);
        }

        public long ReadWatermark() => inner.ReadWatermark();
        public IReadOnlyList<StitchSpanRow> LoadSpans(IReadOnlyCollection<UInt128> traceIds) => inner.LoadSpans(traceIds);
        public IReadOnlyList<UInt128> TracesWithSpansStartedBefore(long cutoffUnixNano) => inner.TracesWithSpansStartedBefore(cutoffUnixNano);
        public IReadOnlyList<StitchInvocationRow> LoadInvocations(IReadOnlyCollection<StitchId> ids) => inner.LoadInvocations(ids);
        public IReadOnlyList<StitchInvocationRow> LoadInvocationsOfTraces(IReadOnlyCollection<UInt128> traceIds) => inner.LoadInvocationsOfTraces(traceIds);
        public IReadOnlyList<StitchKeyMatch> FindKeys(IReadOnlyCollection<StitchKeyRef> keys) => inner.FindKeys(keys);
        public IReadOnlyList<StitchHopRow> LoadHopsInto(IReadOnlyCollection<StitchId> invocations) => inner.LoadHopsInto(invocations);
        public IReadOnlyList<StitchHopRow> LoadHopsOutOf(IReadOnlyCollection<StitchId> invocations) => inner.LoadHopsOutOf(invocations);
        public IReadOnlyList<StitchMembershipRow> LoadMembers(IReadOnlyCollection<StitchId> entries) => inner.LoadMembers(entries);
        public IReadOnlyList<StitchMembershipRow> LoadTransactionsOf(IReadOnlyCollection<StitchId> members) => inner.LoadTransactionsOf(members);
        public IReadOnlyList<StitchTransactionRow> LoadTransactions(IReadOnlyCollection<StitchId> entries) => inner.LoadTransactions(entries);
        public IReadOnlyList<StitchTransactionRow> ListTransactions(StitchTransactionQuery query) => inner.ListTransactions(query);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
