using Threadline.Stitching;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class GraphModelTests
{
    [Fact]
    public void Every_node_has_its_drawn_kind_and_failed_functions_are_marked_with_their_failed_invocation()
    {
        var transaction = PaymentExample.Transaction();
        var graph = GraphModel.Of(transaction, TransactionGraph.Of(transaction));

        Assert.Equal(
        [
            ("POST /payments", "api", false),
            ("notify", "function", false),
            ("process-payment", "function", false),
            ("send-email", "function", true),
            ("payments-queue", "queue", false),
            ("payments", "table", false),
        ], graph.Nodes.Select(n => (n.Label, n.Kind, n.Failed)).OrderBy(n => n.Kind, StringComparer.Ordinal).ThenBy(n => n.Label, StringComparer.Ordinal));
        Assert.Equal(PaymentExample.Mail.Id.ToString(), graph.Nodes.Single(n => n.Label == "send-email").Invocation);
        Assert.All(graph.Nodes.Where(n => n.Kind != "function"), n => Assert.Null(n.Invocation));
    }

    [Fact]
    public void Edges_are_labelled_with_the_hop_kind_and_count()
    {
        var first = Build.Invocation(1, 1, "a", 0, 10, new Trigger("sqs", "q"));
        var second = Build.Invocation(1, 2, "b", 20, 30, new Trigger("sns", "t"));
        var third = Build.Invocation(1, 3, "b", 40, 50, new Trigger("sns", "t"));
        var transaction = Build.Transaction([first, second, third],
            [Build.Hop(first, second, HopKind.Async, HopService.Sns, "t"), Build.Hop(first, third, HopKind.Async, HopService.Sns, "t")]);

        var graph = GraphModel.Of(transaction, TransactionGraph.Of(transaction));

        Assert.Equal(
        [
            ("function:a", "sns:t", "async ×2", true),
            ("sns:t", "function:b", "async ×2", true),
            ("sqs:q", "function:a", "sync", false),
        ], graph.Edges.Select(e => (e.Source, e.Target, e.Label, e.Async)));
    }

    [Theory]
    [InlineData("sqs", "queue")]
    [InlineData("sns", "topic")]
    [InlineData("kinesis", "stream")]
    [InlineData("dynamodb", "table")]
    [InlineData("s3", "bucket")]
    [InlineData("eventbridge", "bus")]
    [InlineData("apigateway", "api")]
    [InlineData("http", "host")]
    [InlineData("function", "function")]
    public void Each_hop_service_is_drawn_as_its_kind(string service, string drawn) =>
        Assert.Equal(drawn, GraphModel.DrawnKind(service));
}
