using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>
/// Splits the spans of one trace into invocations. A span starts an invocation when it is a Lambda invocation span
/// (<c>faas.invocation_id</c>); otherwise it belongs to the invocation of its parent when that parent is in the same
/// service and inside a Lambda invocation; otherwise a SERVER or CONSUMER span, or a local root (no parent, a parent
/// in another service, or a parent not arrived yet), starts one. The answer depends only on the spans given.
/// </summary>
internal static class InvocationExtractor
{
    public static List<Invocation> Extract(IReadOnlyDictionary<ulong, SpanFacts> spans)
    {
        var owners = new Dictionary<ulong, ulong>(spans.Count);
        foreach (var spanId in spans.Keys)
            Resolve(spans, owners, spanId);

        var groups = new Dictionary<ulong, List<SpanFacts>>();
        foreach (var (spanId, owner) in owners)
        {
            if (!groups.TryGetValue(owner, out var members))
                groups[owner] = members = [];
            members.Add(spans[spanId]);
        }
        var invocations = new List<Invocation>(groups.Count);
        foreach (var (rootId, members) in groups)
        {
            members.Sort((x, y) => x.StartTimeUnixNano != y.StartTimeUnixNano
                ? x.StartTimeUnixNano.CompareTo(y.StartTimeUnixNano)
                : x.SpanId.CompareTo(y.SpanId));
            invocations.Add(Build(spans[rootId], members));
        }
        return invocations;
    }

    private static void Resolve(IReadOnlyDictionary<ulong, SpanFacts> spans, Dictionary<ulong, ulong> owners, ulong spanId)
    {
        // Walk up while the decision depends on the parent's owner, then decide top-down.
        var path = new List<ulong>();
        var onPath = new HashSet<ulong>();
        var current = spanId;
        while (!owners.ContainsKey(current))
        {
            var span = spans[current];
            if (!onPath.Add(current) || span.IsLambdaRoot || SameServiceParent(spans, span) is null)
            {
                owners[current] = current;
                break;
            }
            path.Add(current);
            current = span.ParentSpanId;
        }
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var span = spans[path[i]];
            if (owners.ContainsKey(span.SpanId))
                continue;
            var parentOwner = owners[span.ParentSpanId];
            owners[span.SpanId] = spans[parentOwner].IsLambdaRoot || span.Kind is not (SpanKind.Server or SpanKind.Consumer)
                ? parentOwner
                : span.SpanId;
        }
    }

    private static SpanFacts? SameServiceParent(IReadOnlyDictionary<ulong, SpanFacts> spans, SpanFacts span) =>
        span.ParentSpanId != 0 && spans.TryGetValue(span.ParentSpanId, out var parent) && parent.Service == span.Service
            ? parent
            : null;

    private static Invocation Build(SpanFacts root, List<SpanFacts> members)
    {
        var inbound = new List<InboundKey>();
        var outbound = new List<OutboundKey>();
        var writes = new List<DynamoWrite>();
        var reads = new List<DynamoRead>();
        if (root.FaasInvocationId is { } requestId)
            inbound.Add(new InboundKey(CorrelationKeys.LambdaRequest + requestId, Via.LambdaRequestId));
        if (root.ParentSpanId != 0)
            inbound.Add(new InboundKey(CorrelationKeys.ForSpan(root.TraceId, root.ParentSpanId), Via.Parent));
        foreach (var span in members)
        {
            inbound.AddRange(span.Inbound);
            reads.AddRange(span.Reads.Select(r => r.TimeUnixNano == long.MaxValue ? r with { TimeUnixNano = root.StartTimeUnixNano } : r));
            writes.AddRange(span.Writes);
            outbound.Add(OutboundOf(span, CorrelationKeys.ForSpan(span.TraceId, span.SpanId)));
            foreach (var key in span.OutboundKeys)
                outbound.Add(OutboundOf(span, key));
        }

        var consumerSpans = members.Where(m => m.SpanId != root.SpanId && m.Kind == SpanKind.Consumer).ToList();
        return new Invocation
        {
            Id = new InvocationId(root.TraceId, root.SpanId),
            Function = root.FunctionName ?? root.Service,
            Service = root.Service,
            IsLambda = root.IsLambdaRoot,
            RequestId = root.FaasInvocationId,
            Name = root.Name,
            StartTimeUnixNano = root.StartTimeUnixNano,
            EndTimeUnixNano = root.EndTimeUnixNano,
            Status = root.Status,
            Error = root.Error,
            ColdStart = root.ColdStart ?? false,
            RetryFlag = members.Any(m => m.Retry),
            Trigger = new Trigger(
                root.TriggerKind ?? consumerSpans.Select(c => c.TriggerKind).FirstOrDefault(k => k is not null) ?? FallbackTriggerKind(root),
                root.TriggerResource ?? consumerSpans.Select(c => c.TriggerResource).FirstOrDefault(r => r is not null)),
            SpanIds = [.. members.Select(m => m.SpanId)],
            Inbound = [.. inbound.Distinct()],
            Outbound = [.. outbound.Distinct()],
            Writes = writes,
            Reads = reads,
        };
    }

    private static OutboundKey OutboundOf(SpanFacts span, string key) =>
        new(key, span.SpanId, span.CallService, span.CallResource, span.IsAwsCall, span.AsyncInvoke);

    /// <summary>The trigger of a span that says nothing more precise: <c>faas.trigger</c>, or its kind.</summary>
    private static string? FallbackTriggerKind(SpanFacts root) => root.FaasTrigger switch
    {
        "http" => HopService.ApiGateway,
        "timer" => "schedule",
        _ when root.IsLambdaRoot => null,
        _ => root.Kind == SpanKind.Server ? HopService.Http : null,
    };
}
