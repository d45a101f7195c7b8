using System.Globalization;
using Threadline.Analysis.Functions;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>A component of the system map, with how many transactions passed through it.</summary>
public sealed record MapNode(string Id, string Label, string Kind, int Transactions, bool Failed);

/// <summary>
/// An edge of the system map over the time range: how often it was crossed (per minute), how often the invocation it
/// leads to failed, and that invocation's p95 duration.
/// </summary>
public sealed record MapEdge(string Id, string From, string To, bool Async, int Crossings, int Errors, double P95Ms, double PerMinute, int Transactions)
{
    public double ErrorRate => Crossings == 0 ? 0 : Errors / (double)Crossings;

    public string Label => string.Create(CultureInfo.InvariantCulture, $"{PerMinute:0.##}/min · {ErrorRate:0.#%} err · p95 {Format.Duration(P95Ms)}");

    /// <summary>The edge as the transaction list's <c>edge=</c> filter names it.</summary>
    public string Filter => MapFilters.Edge(From, To);
}

/// <summary>How the map's node and edge ids go into the transaction list's query string.</summary>
public static class MapFilters
{
    public const char Separator = '|';

    public static string Edge(string from, string to) => from + Separator + to;

    /// <summary>Whether the transaction's graph has the edge (<c>from|to</c>) or the node.</summary>
    public static bool Crosses(TransactionGraph graph, string? edge, string? node)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!string.IsNullOrEmpty(node) && !graph.Nodes.Any(n => n.Id == node))
            return false;
        return string.IsNullOrEmpty(edge) || graph.Edges.Any(e => Edge(e.From, e.To) == edge);
    }
}

/// <summary>
/// All components and the edges between them over a time range, aggregated from the stitched transactions' graphs
/// (<see cref="TransactionGraph"/>: function → resource → function, and the entry's trigger resource → entry
/// function). Each edge's crossings are the distinct hops (and entry triggers) that took it, counted once even when
/// several transactions share the hop (a batch consumer); the invocation it leads to gives its errors and durations.
/// </summary>
public sealed record SystemMapModel(IReadOnlyList<MapNode> Nodes, IReadOnlyList<MapEdge> Edges, int Transactions)
{
    public GraphModel Graph => new(
        [.. Nodes.Select(n => new GraphNodeModel(n.Id, n.Label, GraphModel.DrawnKind(n.Kind), n.Failed, null))],
        [.. Edges.Select(e => new GraphEdgeModel(e.Id, e.From, e.To, e.Label, e.Async))]);

    public static SystemMapModel Of(IReadOnlyList<Transaction> transactions, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var nodes = new Dictionary<string, (GraphNode Node, HashSet<string> Transactions, bool Failed)>();
        var edges = new Dictionary<(string From, string To), (bool Async, List<Invocation> Targets, HashSet<string> Transactions)>();
        // A batch consumer belongs to several transactions, each listing its hops: a hop is one crossing however many hold it.
        var crossed = new HashSet<(string From, string To, InvocationId? Sender, InvocationId Receiver)>();

        void Cross(Transaction transaction, string from, string to, HopKind kind, InvocationId? sender, Invocation target)
        {
            if (!edges.TryGetValue((from, to), out var edge))
                edges[(from, to)] = edge = (kind == HopKind.Async, [], []);
            if (crossed.Add((from, to, sender, target.Id)))
                edge.Targets.Add(target);
            edge.Transactions.Add(transaction.Id);
        }

        foreach (var transaction in transactions)
        {
            var graph = TransactionGraph.Of(transaction);
            var failedFunctions = transaction.Invocations.Where(i => i.Status == StatusCode.Error).Select(i => "function:" + i.Function).ToHashSet();
            foreach (var node in graph.Nodes)
            {
                if (!nodes.TryGetValue(node.Id, out var known))
                    nodes[node.Id] = known = (node, [], false);
                known.Transactions.Add(transaction.Id);
                if (failedFunctions.Contains(node.Id))
                    nodes[node.Id] = known with { Failed = true };
            }
            var byId = transaction.Invocations.ToDictionary(i => i.Id);
            if (byId.TryGetValue(transaction.Summary.EntryInvocation, out var entry) && entry.Trigger is { Kind: { } kind, Resource: { } resource })
            {
                // The same node as TransactionGraph gives the entry's trigger resource.
                var service = kind switch { "apigatewayv2" => HopService.ApiGateway, "function-url" => HopService.Http, _ => kind };
                Cross(transaction, $"{service}:{resource}", "function:" + entry.Function, HopKind.Sync, null, entry);
            }
            foreach (var hop in transaction.Hops)
            {
                if (!byId.TryGetValue(hop.From, out var from) || !byId.TryGetValue(hop.To, out var to))
                    continue;
                if (hop.Resource is null || hop.Service == HopService.Lambda)
                {
                    Cross(transaction, "function:" + from.Function, "function:" + to.Function, hop.Kind, from.Id, to);
                    continue;
                }
                var through = $"{hop.Service}:{hop.Resource}";
                Cross(transaction, "function:" + from.Function, through, hop.Kind, from.Id, to);
                Cross(transaction, through, "function:" + to.Function, hop.Kind, from.Id, to);
            }
        }

        var minutes = Math.Max(span.TotalMinutes, 1.0 / 60);
        var mapEdges = edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal).Select((e, i) =>
        {
            var targets = e.Value.Targets;
            var durations = targets.Select(t => t.DurationMs).Order().ToList();
            return new MapEdge($"m{i}", e.Key.From, e.Key.To, e.Value.Async, targets.Count, targets.Count(t => t.Status == StatusCode.Error),
                Math.Round(Percentiles.Of(durations, 95), 1), targets.Count / minutes, e.Value.Transactions.Count);
        }).ToList();
        var mapNodes = nodes.Values.OrderBy(n => n.Node.Id, StringComparer.Ordinal)
            .Select(n => new MapNode(n.Node.Id, n.Node.Name, n.Node.Kind, n.Transactions.Count, n.Failed)).ToList();
        return new SystemMapModel(mapNodes, mapEdges, transactions.Count);
    }
}
