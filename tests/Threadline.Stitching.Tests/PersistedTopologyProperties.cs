using FsCheck;
using FsCheck.Fluent;
using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>
/// The persisted stitch state against the in-memory reference (<see cref="InMemoryStitchState"/>): randomized
/// topologies fed in random order and batches, with repeated spans, a restart in the middle (a new state over the
/// same database file, nothing kept in memory) and a retention cutoff, give identical transactions, members, hops
/// (with their times), invocations and lists; with a cache of one trace (nearly every read goes to the store, and a
/// consumer arrives long after its producer left the cache) and an unlimited one.
/// </summary>
public sealed class PersistedTopologyProperties
{
    [Fact]
    public void With_a_cache_of_one_trace_the_persisted_state_answers_as_the_reference() => Run(cacheTraces: 1);

    [Fact]
    public void With_an_unlimited_cache_the_persisted_state_answers_as_the_reference() => Run(cacheTraces: int.MaxValue);

    private static void Run(int cacheTraces)
    {
        var cases =
            from tape in Gen.ArrayOf(Gen.Choose(0, 999))
            from order in Gen.Choose(0, int.MaxValue)
            select (tape, order);
        // 25 cases per cache size: each opens, restarts and commits a real DuckDB file some 40 times (~1 s a case).
        var property = Prop.ForAll(cases.ToArbitrary(), c => Verify(c.tape, c.order, cacheTraces).GetAwaiter().GetResult());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25).WithEndSize(100), property);
    }

    private static async Task Verify(int[] tape, int seed, int cacheTraces)
    {
        var topology = RandomTopology.Generate(tape);
        var labels = topology.Spans;
        var random = new Random(seed);
        var batches = Batches(topology.Spans.Spans(), random);
        var restartAfter = random.Next(batches.Count + 1);

        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var reference = new StitchEngine(new InMemoryStitchState(), time);
        await using var persisted = new PersistedStitch(cacheTraces, time);
        for (var i = 0; i < batches.Count; i++)
        {
            if (i == restartAfter)
                await persisted.RestartAsync();
            reference.Ingest(batches[i]);
            persisted.Ingest(batches[i]);
            time.Advance(TimeSpan.FromMilliseconds(1 + random.Next(50)));
        }
        AssertSameAnswers(reference, persisted.Engine, labels);
        Assert.Equal(batches.Count, persisted.Watermark);

        var spans = batches.SelectMany(b => b).ToList();
        if (spans.Count == 0)
            return;
        var cutoff = spans.Select(s => s.StartTimeUnixNano).Order().ElementAt(random.Next(spans.Count));
        reference.ForgetSpansStartedBefore(cutoff);
        persisted.Forget(cutoff);
        AssertSameAnswers(reference, persisted.Engine, labels);

        await persisted.RestartAsync();
        AssertSameAnswers(reference, persisted.Engine, labels);
        Assert.Equal(batches.Count, persisted.Watermark);
    }

    /// <summary>Random batches of 1–6 spans in random order; about one batch in five repeats spans already sent.</summary>
    private static List<SpanRecord[]> Batches(List<SpanRecord> spans, Random random)
    {
        var order = spans.ToArray();
        random.Shuffle(order);
        var batches = new List<SpanRecord[]>();
        for (var at = 0; at < order.Length;)
        {
            var size = Math.Min(random.Next(1, 7), order.Length - at);
            batches.Add(order[at..(at + size)]);
            at += size;
            if (random.Next(5) == 0)
                batches.Add([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => order[random.Next(at)])]);
        }
        return batches;
    }

    private static void AssertSameAnswers(StitchEngine expected, StitchEngine actual, ContractSpans labels)
    {
        var all = new TransactionFilter { Limit = int.MaxValue };
        var list = expected.ListTransactions(all);
        Assert.Equal(list, actual.ListTransactions(all));
        Assert.Equal(Harness.Transactions(expected, labels), Harness.Transactions(actual, labels));
        foreach (var summary in list)
        {
            var (want, got) = (expected.GetTransaction(summary.Id)!, actual.GetTransaction(summary.Id)!);
            Assert.Equal(want.Summary, got.Summary);
            Assert.Equal(want.Invocations.Select(Describe), got.Invocations.Select(Describe));
            Assert.Equal(want.Hops, got.Hops);
        }
        // The batched shares (the persisted state's read view reads them in a few queries) agree with the reference's
        // transactions and memberships, one at a time.
        var shares = actual.ListTransactionShares(all);
        Assert.Equal(list, shares.Select(s => s.Summary));
        var memberIds = actual.TransactionMembers([.. list.Select(s => s.Id), "not-a-transaction-id"]);
        Assert.Equal(list.Select(s => s.Id).Order(StringComparer.Ordinal), memberIds.Keys.Order(StringComparer.Ordinal));
        foreach (var (summary, members) in shares)
        {
            var transaction = expected.GetTransaction(summary.Id)!;
            Assert.Equal(transaction.Invocations.Select(i => i.Id).Order(), members.Keys.Order());
            Assert.Equal(members.Keys.Order(), memberIds[summary.Id].Order());
            Assert.All(members, m => Assert.Equal(Math.Max(1, expected.TransactionsOf(m.Key).Count), m.Value));
        }
        if (list.Count > 0)
        {
            var (from, to) = (list[^1].StartTimeUnixNano, list[0].StartTimeUnixNano);
            var range = new TransactionFilter { FromUnixNano = from + 1, ToUnixNano = to, Limit = 2 };
            Assert.Equal(expected.ListTransactions(range), actual.ListTransactions(range));
            var byStatus = new TransactionFilter { Status = StatusCode.Error, Limit = 3 };
            Assert.Equal(expected.ListTransactions(byStatus), actual.ListTransactions(byStatus));
        }
        // The batched read (a few queries for every trace) answers as the reference does trace by trace, retries included.
        var traceIds = labels.Labels.Keys.Select(i => i.TraceId).Append(UInt128.MaxValue).ToHashSet();
        var batched = actual.FindByTraceIds(traceIds);
        Assert.Equal(traceIds.Order(), batched.Keys.Order());
        foreach (var traceId in traceIds)
            Assert.Equal(expected.FindByTraceId(traceId).Select(Describe), batched[traceId].Select(Describe));
        foreach (var traceId in labels.Labels.Keys.Select(i => i.TraceId).Distinct())
        {
            Assert.Equal(expected.FindByTraceId(traceId).Select(Describe), actual.FindByTraceId(traceId).Select(Describe));
            var byTrace = new TransactionFilter { TraceId = traceId, Limit = int.MaxValue };
            Assert.Equal(expected.ListTransactions(byTrace), actual.ListTransactions(byTrace));
        }
        foreach (var id in labels.Labels.Keys)
        {
            Assert.Equal(expected.IncomingHops(id), actual.IncomingHops(id));
            Assert.Equal(expected.OutgoingHops(id), actual.OutgoingHops(id));
            Assert.Equal(expected.TransactionsOf(id), actual.TransactionsOf(id));
            Assert.Equal(Describe(expected.GetInvocation(id)), Describe(actual.GetInvocation(id)));
            if (expected.GetInvocation(id)?.RequestId is { } requestId)
                Assert.Equal(expected.FindByRequestId(requestId).Select(Describe), actual.FindByRequestId(requestId).Select(Describe));
            foreach (var key in expected.GetInvocation(id)?.Outbound ?? [])
                Assert.Equal(expected.ProducersOf(key.Key), actual.ProducersOf(key.Key));
        }
    }

    /// <summary>An invocation by value (its lists compared by content, not by reference).</summary>
    private static string Describe(Invocation? i) => i is null
        ? "none"
        : $"{i.Id} {i.Function} {i.Service} {i.IsLambda} {i.RequestId} {i.Name} {i.StartTimeUnixNano} {i.EndTimeUnixNano} {i.Status} {i.Error} "
          + $"{i.ColdStart} {i.RetryFlag} {i.Retry} {i.Trigger} {i.FirstSeen:O} [{string.Join(',', i.SpanIds)}] "
          + $"[{string.Join(',', i.Inbound)}] [{string.Join(',', i.Outbound)}] "
          + $"[{string.Join(',', i.Writes.Select(w => $"{w.Table}:{string.Join('+', w.Pairs)}@{w.TimeUnixNano}/{w.SpanId}"))}] "
          + $"[{string.Join(',', i.Reads.Select(r => $"{r.Table}:{string.Join('+', r.Pairs)}@{r.TimeUnixNano}"))}]";
}
