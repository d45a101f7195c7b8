namespace Threadline.Stitching.Tests;

public sealed class TransactionGraphTests
{
    [Fact]
    public void FunctionsShareANodeAndAsyncHopsGoThroughTheirResource()
    {
        var s = new ContractSpans();
        var api = s.Lambda("api", "orders-api", "apigateway", "POST /orders").SendMessage("jobs", "m1", "m2").Invoke("pricing", "p1", async: false);
        s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:m1"]);
        s.Lambda("c2", "worker", "sqs", "jobs", keys: ["sqs:msg:m2"]);
        s.Lambda("p1", "pricing", "invoke");
        var engine = Harness.Stitch(s.Spans());

        var graph = TransactionGraph.Of(engine.GetTransaction(api.Id.ToString())!);

        Assert.Equal(
            [
                new GraphNode("apigateway:POST /orders", "apigateway", "POST /orders"),
                new GraphNode("function:orders-api", "function", "orders-api"),
                new GraphNode("function:pricing", "function", "pricing"),
                new GraphNode("function:worker", "function", "worker"),
                new GraphNode("sqs:jobs", "sqs", "jobs"),
            ],
            graph.Nodes);
        Assert.Equal(
            [
                new GraphEdge("apigateway:POST /orders", "function:orders-api", HopKind.Sync, 1),
                new GraphEdge("function:orders-api", "function:pricing", HopKind.Sync, 1),
                new GraphEdge("function:orders-api", "sqs:jobs", HopKind.Async, 2),
                new GraphEdge("sqs:jobs", "function:worker", HopKind.Async, 2),
            ],
            graph.Edges);
    }
}
