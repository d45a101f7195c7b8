using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>The list filters the API exposes, and the look-ups behind them.</summary>
public sealed class QueryTests
{
    private readonly ContractSpans _s = new();
    private readonly StitchEngine _engine;
    private readonly InvocationId _first;
    private readonly InvocationId _second;

    public QueryTests()
    {
        _first = _s.Lambda("api1", "orders-api", "apigateway", "POST /orders").SendMessage("jobs", "m1").Id;
        _s.Tick(1_000);
        _second = _s.Lambda("api2", "refunds-api", "apigateway", "POST /refunds").SendMessage("jobs", "m2").Id;
        _s.Lambda("batch", "worker", "sqs", "jobs", keys: ["sqs:msg:m1", "sqs:msg:m2", "sqs:msg:untraced"]).Fail("boom");
        _engine = Harness.Stitch(_s.Spans());
    }

    [Fact]
    public void ListIsLatestFirstAndFiltersByEntryStatusAndTime()
    {
        Assert.Equal([_second, _first], Entries(new TransactionFilter()));
        Assert.Equal([_second], Entries(new TransactionFilter { Limit = 1 }));
        Assert.Equal([_first], Entries(new TransactionFilter { Entry = "orders-api" }));
        Assert.Equal([_second], Entries(new TransactionFilter { Entry = "POST /refunds" }));
        Assert.Equal([_second, _first], Entries(new TransactionFilter { Entry = "apigateway", Status = StatusCode.Error }));
        Assert.Empty(Entries(new TransactionFilter { Status = StatusCode.Ok }));
        var secondStart = _engine.GetInvocation(_second)!.StartTimeUnixNano;
        Assert.Equal([_first], Entries(new TransactionFilter { ToUnixNano = secondStart }));
        Assert.Equal([_second], Entries(new TransactionFilter { FromUnixNano = secondStart }));
    }

    [Fact]
    public void ListFiltersByTraceRequestAndMessageId()
    {
        Assert.Equal([_first], Entries(new TransactionFilter { TraceId = _first.TraceId }));
        Assert.Equal([_second], Entries(new TransactionFilter { RequestId = "api2" }));
        Assert.Equal([_second, _first], Entries(new TransactionFilter { RequestId = "batch" }));
        // The batch consumer is in both transactions; message m1 is only part of the first.
        Assert.Equal([_first], Entries(new TransactionFilter { MessageId = "m1" }));
        Assert.Equal([_second, _first], Entries(new TransactionFilter { MessageId = "untraced" }));
        Assert.Empty(Entries(new TransactionFilter { MessageId = "m1", RequestId = "api2" }));
        Assert.Empty(Entries(new TransactionFilter { RequestId = "nobody" }));
    }

    [Fact]
    public void SummaryCountsInvocationsAndErrorsOfTheTransactionOnly()
    {
        var summary = _engine.ListTransactions(new TransactionFilter { RequestId = "api1" }).Single();

        Assert.Equal(new TransactionEntry("apigateway", "orders-api", "POST /orders"), summary.Entry);
        Assert.Equal((2, 1, StatusCode.Error), (summary.InvocationCount, summary.ErrorCount, summary.Status));
        Assert.Equal(_first.ToString(), summary.Id);
        Assert.True(InvocationId.TryParse(summary.Id, out var parsed) && parsed == _first);
        Assert.Null(_engine.GetTransaction("not-an-id"));
        Assert.Equal(["api1", "batch"], _engine.FindByMessageId("m1").Select(i => i.RequestId));
    }

    private InvocationId[] Entries(TransactionFilter filter) =>
        [.. _engine.ListTransactions(filter).Select(t => t.EntryInvocation)];
}
