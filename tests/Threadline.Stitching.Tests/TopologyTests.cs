using Threadline.Telemetry;
using static Threadline.Stitching.Tests.Harness;

namespace Threadline.Stitching.Tests;

/// <summary>Fan-out, fan-in, redelivery, arrival order and loops: exact hops and exact transactions.</summary>
public sealed class TopologyTests
{
    [Fact]
    public void FanOutPutsEveryConsumerInTheTransaction()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway", "POST /orders").SendMessage("jobs", "m1", "m2", "m3", "m4", "m5");
        for (var i = 1; i <= 5; i++)
            s.Lambda($"c{i}", "worker", "sqs", "jobs", keys: [$"sqs:msg:m{i}"]);

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted([.. Enumerable.Range(1, 5).Select(i => $"api -> c{i} async sqs jobs sqs.messageId")]),
            Hops(engine, s));
        Assert.Equal(["api: api c1 c2 c3 c4 c5"], Transactions(engine, s));
        var summary = Assert.Single(engine.ListTransactions(new TransactionFilter()));
        Assert.Equal(new TransactionEntry("apigateway", "orders-api", "POST /orders"), summary.Entry);
        Assert.Equal(6, summary.InvocationCount);
    }

    [Fact]
    public void SqsBatchOfTenFromTenTransactionsBelongsToEachAndGluesNone()
    {
        var s = new ContractSpans();
        for (var i = 0; i < 10; i++)
            s.Lambda($"api{i}", "orders-api", "apigateway").SendMessage("jobs", $"m{i}");
        var batch = s.Lambda("batch", "worker", "sqs", "jobs", keys: [.. Enumerable.Range(0, 10).Select(i => $"sqs:msg:m{i}")]);
        batch.Publish("done", "n1");
        s.Lambda("after", "notifier", "sns", "done", keys: ["sns:msg:n1"]);

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted([.. Enumerable.Range(0, 10).Select(i => $"api{i} -> batch async sqs jobs sqs.messageId"), "batch -> after async sns done sns.messageId"]),
            Hops(engine, s));
        Assert.Equal(Sorted([.. Enumerable.Range(0, 10).Select(i => $"api{i}: after api{i} batch")]), Transactions(engine, s));
        Assert.Equal(10, engine.TransactionsOf(batch.Id).Count);
    }

    [Fact]
    public void DuplicateDeliveryIsASecondConsumerInTheSameTransactionMarkedRetry()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").SendMessage("jobs", "m1");
        s.Lambda("first", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]).Fail("timeout");
        s.Tick(30_000);
        s.Lambda("second", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"], retry: true);
        s.Tick(30_000);
        // Redelivered without the tracer's flag (e.g. a visibility timeout while the first still ran).
        s.Lambda("third", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted("api -> first async sqs jobs sqs.messageId", "api -> second async sqs jobs sqs.messageId", "api -> third async sqs jobs sqs.messageId"),
            Hops(engine, s));
        Assert.Equal(["api: api first second third"], Transactions(engine, s));
        var transaction = engine.GetTransaction(engine.TransactionsOf(s.Labels.Single(l => l.Value == "api").Key).Single())!;
        Assert.Equal(["first"], transaction.Invocations.Where(i => !i.Retry && i.Function == "worker").Select(i => i.RequestId));
        Assert.Equal(1, transaction.Summary.ErrorCount);
        Assert.Equal(StatusCode.Error, transaction.Summary.Status);
    }

    [Fact]
    public void OneMessageReachingAFunctionByTwoPathsIsFanOutNotARetry()
    {
        var s = new ContractSpans();
        s.Lambda("bot", "lunchbot", "schedule").Publish("lunch", "n1");
        s.Lambda("direct", "send-email", "sns", "lunch", keys: ["sns:msg:n1"]);
        s.Tick(10);
        s.Lambda("queued", "send-email", "sqs", "lunch-queue", keys: ["sqs:msg:q1", "sns:msg:n1"]);

        var engine = Stitch(s.Spans());

        Assert.Equal(Sorted("bot -> direct async sns lunch sns.messageId", "bot -> queued async sns lunch sns.messageId"), Hops(engine, s));
        var transaction = engine.GetTransaction(engine.TransactionsOf(s.Labels.Single(l => l.Value == "bot").Key).Single())!;
        Assert.All(transaction.Invocations, i => Assert.False(i.Retry, $"{i.RequestId} is marked retry"));
    }

    [Fact]
    public void ConsumerFirstArrivalConvergesAndMeasuresTheStitchLag()
    {
        var s = new ContractSpans();
        var api = s.Lambda("api", "orders-api", "apigateway").SendMessage("jobs", "m1");
        var worker = s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var engine = new StitchEngine(new InMemoryStitchState(), time);

        var first = engine.Ingest([.. worker.Build()]);
        Assert.Equal(["c1: c1"], Transactions(engine, s));
        Assert.Equal([worker.Id.ToString()], first.ChangedTransactions);

        time.Advance(TimeSpan.FromMinutes(3));
        var second = engine.Ingest([.. api.Build()]);

        Assert.Equal(["api -> c1 async sqs jobs sqs.messageId"], Hops(engine, s));
        Assert.Equal(["api: api c1"], Transactions(engine, s));
        Assert.Equal([worker.Id.ToString()], second.RemovedTransactions);
        var hop = Assert.Single(second.LinkedHops);
        Assert.Equal(time.GetUtcNow(), hop.BothArrivedAt);
        Assert.Equal(TimeSpan.Zero, hop.StitchLag);
    }

    [Fact]
    public void StitchLagCountsFromBothInvocationsToTheSpanThatCarriedTheKey()
    {
        var s = new ContractSpans();
        var api = s.Lambda("api", "orders-api", "apigateway").SendMessage("jobs", "m1");
        var worker = s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var engine = new StitchEngine(new InMemoryStitchState(), time);
        var apiSpans = api.Build().ToList();

        engine.Ingest([apiSpans[0], .. worker.Build()]);
        var bothArrived = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(42));
        var result = engine.Ingest([.. apiSpans.Skip(1)]);

        var hop = Assert.Single(result.LinkedHops);
        Assert.Equal(bothArrived, hop.BothArrivedAt);
        Assert.Equal(TimeSpan.FromSeconds(42), hop.StitchLag);
    }

    [Fact]
    public void ChildSpansArrivingBeforeTheirParentDoNotLeaveInvocationsBehind()
    {
        var s = new ContractSpans();
        var api = s.Lambda("api", "orders-api", "apigateway").SendMessage("jobs", "m1");
        var worker = s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        var apiSpans = api.Build().ToList();
        var engine = new StitchEngine();

        var early = engine.Ingest([.. apiSpans.Skip(1), .. worker.Build()]);
        Assert.Single(early.LinkedHops);
        var late = engine.Ingest([apiSpans[0]]);

        Assert.Equal(["api -> c1 async sqs jobs sqs.messageId"], Hops(engine, s));
        Assert.Equal(Sorted("api", "c1"), Invocations(engine, s));
        Assert.Equal(["api: api c1"], Transactions(engine, s));
        Assert.Single(late.RemovedInvocations);
    }

    [Fact]
    public void ALoopThroughAQueueTerminatesAndStaysOneTransaction()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").SendMessage("retry-queue", "m0");
        for (var i = 1; i <= 4; i++)
        {
            var round = s.Lambda($"r{i}", "retrier", "sqs", "retry-queue", keys: [$"sqs:msg:m{i - 1}"]);
            if (i < 4)
                round.SendMessage("retry-queue", $"m{i}");
        }

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted(
                "api -> r1 async sqs retry-queue sqs.messageId",
                "r1 -> r2 async sqs retry-queue sqs.messageId",
                "r2 -> r3 async sqs retry-queue sqs.messageId",
                "r3 -> r4 async sqs retry-queue sqs.messageId"),
            Hops(engine, s));
        Assert.Equal(["api: api r1 r2 r3 r4"], Transactions(engine, s));
    }

    [Fact]
    public void ALoopThroughTheTableThatTriggersTheFunctionLinksEachRoundToThePreviousWrite()
    {
        var s = new ContractSpans();
        var pk = ContractSpans.Pair("pk", "S", "counter");
        s.Lambda("api", "counter-api", "apigateway").WriteItems("PutItem", ("counters", [pk, ContractSpans.Pair("n", "N", "0")]));
        for (var i = 1; i <= 3; i++)
        {
            var recordTime = s.Now / 1_000_000;
            s.Tick(100);
            var round = s.Lambda($"r{i}", "incrementer", "dynamodb", "counters", keys: [ContractSpans.ItemKey("counters", pk)], times: [recordTime]);
            if (i < 3)
                round.WriteItems("UpdateItem", ("counters", [pk]));
        }

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted(
                "api -> r1 async dynamodb counters dynamodb.key",
                "r1 -> r2 async dynamodb counters dynamodb.key",
                "r2 -> r3 async dynamodb counters dynamodb.key"),
            Hops(engine, s));
        Assert.Equal(["api: api r1 r2 r3"], Transactions(engine, s));
    }

    [Fact]
    public void CorrelationKeysThatFormACycleDoNotHangTheEngine()
    {
        // Not causal (each consumed what the other produced), as corrupt or replayed data could claim.
        var s = new ContractSpans();
        s.Lambda("a", "ping", "sqs", "q", keys: ["sqs:msg:b1"]).SendMessage("q", "a1");
        s.Lambda("b", "pong", "sqs", "q", keys: ["sqs:msg:a1"]).SendMessage("q", "b1");

        var engine = Stitch(s.Spans());

        Assert.Equal(Sorted("a -> b async sqs q sqs.messageId", "b -> a async sqs q sqs.messageId"), Hops(engine, s));
        Assert.Empty(Transactions(engine, s));
    }
}
