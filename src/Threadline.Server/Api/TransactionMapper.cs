using System.Text.Json;
using Threadline.Server.Api.Contracts;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Server.Api;

/// <summary>Maps the stitch engine's results to the API's JSON shapes.</summary>
internal static class TransactionMapper
{
    public static TransactionSummaryResponse ToResponse(TransactionSummary summary) => new(
        summary.Id,
        ToResponse(summary.Entry),
        summary.StartTimeUnixNano,
        summary.DurationMs,
        Status(summary.Status),
        summary.InvocationCount,
        summary.ErrorCount);

    public static EntryResponse ToResponse(TransactionEntry entry) => new(entry.Kind, entry.Name, entry.Resource);

    public static InvocationResponse ToResponse(Invocation invocation) => new(
        invocation.Id.ToString(),
        invocation.Function,
        invocation.Service,
        invocation.RequestId,
        TelemetryIds.FormatTraceId(invocation.TraceId),
        TelemetryIds.FormatSpanId(invocation.SpanId),
        invocation.StartTimeUnixNano,
        invocation.DurationMs,
        Status(invocation.Status),
        invocation.ColdStart,
        invocation.Retry,
        new TriggerResponse(invocation.Trigger.Kind, invocation.Trigger.Resource),
        invocation.Error);

    public static HopResponse ToResponse(Hop hop) => new(
        hop.From.ToString(), hop.To.ToString(), Kind(hop.Kind), hop.Service, hop.Resource, hop.Via, hop.StitchLag.TotalMilliseconds);

    public static NodeResponse ToResponse(GraphNode node) => new(node.Id, node.Kind, node.Name);

    public static EdgeResponse ToResponse(GraphEdge edge) => new(edge.From, edge.To, Kind(edge.Kind), edge.Count);

    /// <summary>A payload the tracer recorded as JSON text is returned as JSON; anything else as the text.</summary>
    public static object? Payload(SpanRecord? span, string attribute)
    {
        if (span?.Attributes.FirstOrDefault(a => a.Key == attribute).Value is not string text)
            return null;
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static string Status(StatusCode status) => status == StatusCode.Error ? "error" : "ok";

    private static string Kind(HopKind kind) => kind == HopKind.Sync ? "sync" : "async";
}
