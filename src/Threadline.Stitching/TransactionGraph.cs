namespace Threadline.Stitching;

/// <summary>One box of the transaction graph: a function, or a queue, topic, stream, table, bucket, bus, API or host.</summary>
/// <param name="Id"><c>function:&lt;name&gt;</c> or <c>&lt;service&gt;:&lt;resource&gt;</c>.</param>
/// <param name="Kind"><c>function</c>, or the hop service (<c>sqs</c>, <c>sns</c>, …, <c>apigateway</c>, <c>http</c>).</param>
public sealed record GraphNode(string Id, string Kind, string Name);

/// <summary>An arrow of the graph, with how many hops (or entry invocations) it stands for.</summary>
public sealed record GraphEdge(string From, string To, HopKind Kind, int Count);

/// <summary>
/// The graph view of a transaction: invocations of one function share a node, and a hop through a resource goes
/// function → resource → function (a Lambda Invoke, or a hop without a resource, goes function → function).
/// The entry's own trigger resource, when known, points at the entry function.
/// </summary>
public sealed record TransactionGraph(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    public static TransactionGraph Of(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var functions = transaction.Invocations.ToDictionary(i => i.Id, i => i.Function);
        var nodes = new Dictionary<string, GraphNode>();
        var edges = new Dictionary<(string From, string To, HopKind Kind), int>();

        string FunctionNode(string name) => Add(new GraphNode($"function:{name}", "function", name));
        string Add(GraphNode node) => (nodes.TryAdd(node.Id, node) ? node : nodes[node.Id]).Id;
        void Edge(string from, string to, HopKind kind) =>
            edges[(from, to, kind)] = edges.GetValueOrDefault((from, to, kind)) + 1;

        foreach (var invocation in transaction.Invocations)
            FunctionNode(invocation.Function);
        if (transaction.Invocations.FirstOrDefault(i => i.Id == transaction.Summary.EntryInvocation) is { } entry
            && entry.Trigger is { Kind: { } kind, Resource: { } resource })
        {
            var service = kind switch { "apigatewayv2" => HopService.ApiGateway, "function-url" => HopService.Http, _ => kind };
            Edge(Add(new GraphNode($"{service}:{resource}", service, resource)), FunctionNode(entry.Function), HopKind.Sync);
        }
        foreach (var hop in transaction.Hops)
        {
            var from = FunctionNode(functions[hop.From]);
            var to = FunctionNode(functions[hop.To]);
            if (hop.Resource is null || hop.Service == HopService.Lambda)
            {
                Edge(from, to, hop.Kind);
                continue;
            }
            var through = Add(new GraphNode($"{hop.Service}:{hop.Resource}", hop.Service, hop.Resource));
            Edge(from, through, hop.Kind);
            Edge(through, to, hop.Kind);
        }
        return new TransactionGraph(
            [.. nodes.Values.OrderBy(n => n.Id, StringComparer.Ordinal)],
            [.. edges.Select(e => new GraphEdge(e.Key.From, e.Key.To, e.Key.Kind, e.Value))
                .OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)]);
    }
}
