using Threadline.Stitching;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class SystemMapModelTests
{
    /// <summary>The payment example twice, the second time without the mail failing.</summary>
    private static IReadOnlyList<Transaction> Two()
    {
        var first = PaymentExample.Transaction();
        var payment = Build.Invocation(0x0c, 1, "process-payment", 5000, 5100, new Trigger("apigateway", "POST /payments"));
        var notify = Build.Invocation(0x0c, 10, "notify", 5200, 5300, new Trigger("sqs", "payments-queue"));
        var mail = Build.Invocation(0x0d, 20, "send-email", 5400, 5500, new Trigger("dynamodb", "payments"));
        var second = Build.Transaction([payment, notify, mail],
            [Build.Hop(payment, notify, HopKind.Async, HopService.Sqs, "payments-queue"), Build.Hop(notify, mail, HopKind.Async, HopService.DynamoDb, "payments")]);
        return [first, second];
    }

    [Fact]
    public void Components_and_edges_are_aggregated_over_the_transactions_with_rate_error_rate_and_p95()
    {
        var map = SystemMapModel.Of(Two(), TimeSpan.FromMinutes(2));

        Assert.Equal(["apigateway:POST /payments", "dynamodb:payments", "function:notify", "function:process-payment", "function:send-email", "sqs:payments-queue"],
            map.Nodes.Select(n => n.Id));
        Assert.Equal(
        [
            ("apigateway:POST /payments", "function:process-payment"), ("dynamodb:payments", "function:send-email"), ("function:notify", "dynamodb:payments"),
            ("function:process-payment", "sqs:payments-queue"), ("sqs:payments-queue", "function:notify"),
        ], map.Edges.Select(e => (e.From, e.To)));
        var intoMail = map.Edges.Single(e => e.To == "function:send-email");
        Assert.Equal((2, 1, 0.5, 1.0, 2, true), (intoMail.Crossings, intoMail.Errors, intoMail.ErrorRate, intoMail.PerMinute, intoMail.Transactions, intoMail.Async));
        Assert.Equal(200, intoMail.P95Ms); // the failed mail took 200 ms, the other 100 ms
        var entry = map.Edges.Single(e => e.From == "apigateway:POST /payments");
        Assert.Equal((2, 0, false, 300.0), (entry.Crossings, entry.Errors, entry.Async, entry.P95Ms));
        Assert.True(map.Nodes.Single(n => n.Id == "function:send-email").Failed);
        Assert.False(map.Nodes.Single(n => n.Id == "function:notify").Failed);
        Assert.Equal("1/min · 50% err · p95 200 ms", intoMail.Label);
    }

    [Fact]
    public void The_map_graph_uses_the_same_node_ids_as_a_transaction_graph_so_its_edges_filter_the_list()
    {
        var transaction = PaymentExample.Transaction();
        var map = SystemMapModel.Of([transaction], TimeSpan.FromMinutes(1));
        var graph = TransactionGraph.Of(transaction);

        foreach (var edge in map.Edges)
            Assert.True(MapFilters.Crosses(graph, edge.Filter, null), edge.Filter);
        Assert.True(MapFilters.Crosses(graph, null, "sqs:payments-queue"));
        Assert.False(MapFilters.Crosses(graph, "function:notify|function:send-email", null));
        Assert.False(MapFilters.Crosses(graph, null, "sqs:lunch-queue"));
    }

    [Fact]
    public void A_hop_shared_by_several_transactions_a_batch_consumer_crosses_its_edge_once()
    {
        var first = Build.Invocation(0x0e, 1, "process-payment", 0, 100, new Trigger("apigateway", "POST /payments"));
        var second = Build.Invocation(0x0f, 1, "process-payment", 10, 110, new Trigger("apigateway", "POST /payments"));
        var batch = Build.Invocation(0x10, 5, "notify", 200, 300, new Trigger("sqs", "payments-queue"));
        var one = Build.Transaction([first, batch], [Build.Hop(first, batch, HopKind.Async, HopService.Sqs, "payments-queue")]);
        var two = Build.Transaction([second, batch], [Build.Hop(second, batch, HopKind.Async, HopService.Sqs, "payments-queue")]);
        var repeated = Build.Transaction([first, batch], [Build.Hop(first, batch, HopKind.Async, HopService.Sqs, "payments-queue")]);

        var map = SystemMapModel.Of([one, two, repeated], TimeSpan.FromMinutes(1));

        var intoNotify = map.Edges.Single(e => e.To == "function:notify");
        Assert.Equal(2, intoNotify.Crossings); // two senders, one batch: two hops
        Assert.Equal(2, map.Edges.Single(e => e.From == "apigateway:POST /payments").Crossings);
    }
}
