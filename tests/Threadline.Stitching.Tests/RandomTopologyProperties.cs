using FsCheck;
using FsCheck.Fluent;
using Threadline.Telemetry;
using static Threadline.Stitching.Tests.Harness;

namespace Threadline.Stitching.Tests;

/// <summary>
/// Randomized topologies over every channel, fed in random order and random batches: the engine finds exactly the
/// hops the generator made (precision and recall 100%), the transactions are the downstream closures of the entries,
/// and two arrival orders give the same answer.
/// </summary>
public sealed class RandomTopologyProperties
{
    [Fact]
    public void HopsAreExactAndTransactionsDoNotDependOnArrivalOrder()
    {
        var cases =
            from tape in Gen.ArrayOf(Gen.Choose(0, 999))
            from firstOrder in Gen.Choose(0, int.MaxValue)
            from secondOrder in Gen.Choose(0, int.MaxValue)
            select (tape, firstOrder, secondOrder);
        var property = Prop.ForAll(cases.ToArbitrary(), c => Verify(c.tape, c.firstOrder, c.secondOrder));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(120), property);
    }

    private static void Verify(int[] tape, int firstOrder, int secondOrder)
    {
        var topology = RandomTopology.Generate(tape);
        var spans = topology.Spans.Spans();

        var first = IngestShuffled(spans, firstOrder);
        var second = IngestShuffled(spans, secondOrder);

        Assert.Equal(topology.ExpectedHops(), Hops(first, topology.Spans));
        Assert.Equal(topology.ExpectedInvocations(), Invocations(first, topology.Spans));
        Assert.Equal(topology.ExpectedTransactions(), Transactions(first, topology.Spans));
        Assert.Equal(topology.ExpectedRetries(), RetriedLabels(first, topology.Spans));
        Assert.Equal(Hops(first, topology.Spans), Hops(second, topology.Spans));
        Assert.Equal(Transactions(first, topology.Spans), Transactions(second, topology.Spans));
        Assert.Equal(
            first.ListTransactions(new TransactionFilter { Limit = int.MaxValue }),
            second.ListTransactions(new TransactionFilter { Limit = int.MaxValue }));
        VerifyListIndex(first);
        VerifyForgetting(spans, topology.Spans, first, secondOrder);
    }

    /// <summary>Forgetting the spans that started before a cutoff leaves what ingesting only the others gives.</summary>
    private static void VerifyForgetting(List<SpanRecord> spans, ContractSpans labels, StitchEngine engine, int order)
    {
        if (spans.Count == 0)
            return;
        var cutoff = spans.Select(s => s.StartTimeUnixNano).Order().ElementAt(spans.Count / 2);
        engine.ForgetSpansStartedBefore(cutoff);
        var rest = IngestShuffled([.. spans.Where(s => s.StartTimeUnixNano >= cutoff)], order);

        Assert.Equal(Hops(rest, labels), Hops(engine, labels));
        Assert.Equal(Invocations(rest, labels), Invocations(engine, labels));
        Assert.Equal(Transactions(rest, labels), Transactions(engine, labels));
        Assert.Equal(
            rest.ListTransactions(new TransactionFilter { Limit = int.MaxValue }),
            engine.ListTransactions(new TransactionFilter { Limit = int.MaxValue }));
        VerifyListIndex(engine);
    }

    /// <summary>The list is answered from summaries kept as transactions change: each must equal a fresh one.</summary>
    private static void VerifyListIndex(StitchEngine engine)
    {
        var listed = engine.ListTransactions(new TransactionFilter { Limit = int.MaxValue });
        foreach (var summary in listed)
            Assert.Equal(engine.GetTransaction(summary.Id)!.Summary, summary);
        Assert.Equal(listed.OrderByDescending(s => s.StartTimeUnixNano).ThenBy(s => s.EntryInvocation), listed);
        Assert.Equal(listed.Take(3), engine.ListTransactions(new TransactionFilter { Limit = 3 }));
        if (listed.Count == 0)
            return;
        var (from, to) = (listed[listed.Count - 1 - (listed.Count / 3)].StartTimeUnixNano, listed[listed.Count / 3].StartTimeUnixNano);
        Assert.Equal(
            listed.Where(s => s.StartTimeUnixNano >= from && s.StartTimeUnixNano < to),
            engine.ListTransactions(new TransactionFilter { FromUnixNano = from, ToUnixNano = to, Limit = int.MaxValue }));
        Assert.Equal(
            listed.Where(s => s.StartTimeUnixNano >= from),
            engine.ListTransactions(new TransactionFilter { FromUnixNano = from, Limit = int.MaxValue }));
        if (to > from)
            Assert.Empty(engine.ListTransactions(new TransactionFilter { FromUnixNano = to, ToUnixNano = from, Limit = int.MaxValue }));
    }

    private static StitchEngine IngestShuffled(List<SpanRecord> spans, int seed)
    {
        var random = new Random(seed);
        var order = spans.ToArray();
        random.Shuffle(order);
        var engine = new StitchEngine();
        for (var at = 0; at < order.Length;)
        {
            var size = random.Next(1, 6);
            engine.Ingest(order.AsSpan(at, Math.Min(size, order.Length - at)).ToArray());
            at += size;
        }
        return engine;
    }

    private static string[] RetriedLabels(StitchEngine engine, ContractSpans spans) =>
    [
        .. spans.Labels.Keys.Select(engine.GetInvocation).OfType<Invocation>()
            .Where(i => i.Retry)
            .Select(i => spans.Labels[i.Id])
            .Order(StringComparer.Ordinal),
    ];
}
