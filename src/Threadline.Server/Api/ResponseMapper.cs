using Threadline.Server.Api.Contracts;
using Threadline.Telemetry;

namespace Threadline.Server.Api;

/// <summary>Maps stored records to the API's JSON shapes (ids as hex, attributes as JSON objects).</summary>
internal static class ResponseMapper
{
    public static SpanResponse ToResponse(SpanRecord span) => new(
        TelemetryIds.FormatTraceId(span.TraceId),
        TelemetryIds.FormatSpanId(span.SpanId),
        span.ParentSpanId == 0 ? null : TelemetryIds.FormatSpanId(span.ParentSpanId),
        span.Name,
        span.Kind.ToString().ToLowerInvariant(),
        span.Service,
        span.StartTimeUnixNano,
        span.EndTimeUnixNano,
        new StatusResponse(span.StatusCode.ToString().ToLowerInvariant(), span.StatusMessage),
        ToObject(span.Attributes),
        span.Events.Select(e => new EventResponse(e.Name, e.TimeUnixNano, ToObject(e.Attributes), e.DroppedAttributesCount)).ToList(),
        span.Links.Select(l => new LinkResponse(TelemetryIds.FormatTraceId(l.TraceId), TelemetryIds.FormatSpanId(l.SpanId), l.TraceState, ToObject(l.Attributes), l.Flags)).ToList(),
        ToObject(span.Resource.Attributes),
        ToResponse(span.Scope),
        span.TraceState,
        span.Flags,
        span.DroppedAttributesCount,
        span.DroppedEventsCount,
        span.DroppedLinksCount);

    public static LogResponse ToResponse(LogRecord log) => new(
        log.TimeUnixNano,
        log.ObservedTimeUnixNano,
        log.TraceId == UInt128.Zero ? null : TelemetryIds.FormatTraceId(log.TraceId),
        log.SpanId == 0 ? null : TelemetryIds.FormatSpanId(log.SpanId),
        log.SeverityNumber,
        log.SeverityText,
        log.EventName,
        ToJsonValue(log.Body),
        ToObject(log.Attributes),
        log.Resource.Service,
        ToObject(log.Resource.Attributes),
        ToResponse(log.Scope));

    private static ScopeResponse ToResponse(ScopeRecord scope) => new(scope.Name, scope.Version, ToObject(scope.Attributes));

    private static Dictionary<string, object?> ToObject(IReadOnlyList<KeyValue> attributes)
    {
        var result = new Dictionary<string, object?>(attributes.Count, StringComparer.Ordinal);
        foreach (var attribute in attributes)
            result[attribute.Key] = ToJsonValue(attribute.Value);
        return result;
    }

    private static object? ToJsonValue(object? value) => value switch
    {
        IReadOnlyList<KeyValue> list => ToObject(list),
        IReadOnlyList<object?> array => array.Select(ToJsonValue).ToList(),
        _ => value,
    };
}
