using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>A node as the graph script draws it: <see cref="Kind"/> picks its shape and colour.</summary>
public sealed record GraphNodeModel(string Id, string Label, string Kind, bool Failed, string? Invocation);

/// <summary>An edge labelled with its hop kind (sync or async) and, when more than one hop, the count.</summary>
public sealed record GraphEdgeModel(string Id, string Source, string Target, string Label, bool Async);

/// <summary>
/// The transaction graph for cytoscape: every node kind mapped to one of the drawn kinds (function, queue, topic,
/// stream, table, bucket, bus, api, host); a function node is failed when one of its invocations failed, and
/// points at its first (failed, if any) invocation so that selecting it opens the deep dive.
/// </summary>
public sealed record GraphModel(IReadOnlyList<GraphNodeModel> Nodes, IReadOnlyList<GraphEdgeModel> Edges)
{
    public static GraphModel Of(Transaction transaction, TransactionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(graph);
        var byFunction = transaction.Invocations
            .GroupBy(i => i.Function)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.Status == StatusCode.Error).ThenBy(i => i.StartTimeUnixNano).ToList());
        var nodes = graph.Nodes.Select(n =>
        {
            if (n.Kind != "function" || !byFunction.TryGetValue(n.Name, out var invocations))
                return new GraphNodeModel(n.Id, n.Name, DrawnKind(n.Kind), false, null);
            var failed = invocations[0].Status == StatusCode.Error;
            return new GraphNodeModel(n.Id, n.Name, "function", failed, invocations[0].Id.ToString());
        }).ToList();
        var edges = graph.Edges.Select((e, i) =>
        {
            var kind = e.Kind == HopKind.Sync ? "sync" : "async";
            return new GraphEdgeModel($"e{i}", e.From, e.To, e.Count > 1 ? $"{kind} ×{e.Count}" : kind, e.Kind == HopKind.Async);
        }).ToList();
        return new GraphModel(nodes, edges);
    }

    /// <summary>The drawn kind of a graph node kind (a hop service or "function").</summary>
    public static string DrawnKind(string kind) => kind switch
    {
        "function" or "lambda" => "function",
        "sqs" => "queue",
        "sns" => "topic",
        "kinesis" or "dynamodb-stream" => "stream",
        "dynamodb" => "table",
        "s3" => "bucket",
        "eventbridge" or "events" => "bus",
        "apigateway" or "apigatewayv2" => "api",
        _ => "host",
    };
}
