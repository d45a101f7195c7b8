namespace Threadline.Server.Api.Contracts;

/// <summary><c>GET /api/traces/{traceId}</c>: every stored span of the trace, ordered by start time.</summary>
public sealed record TraceResponse(string TraceId, IReadOnlyList<SpanResponse> Spans);

public sealed record SpanResponse(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string Service,
    long StartTimeUnixNano,
    long EndTimeUnixNano,
    StatusResponse Status,
    IDictionary<string, object?> Attributes,
    IReadOnlyList<EventResponse> Events,
    IReadOnlyList<LinkResponse> Links,
    IDictionary<string, object?> Resource,
    ScopeResponse Scope,
    string? TraceState,
    uint Flags,
    uint DroppedAttributesCount,
    uint DroppedEventsCount,
    uint DroppedLinksCount);

/// <summary>A span status: <c>code</c> is "unset", "ok" or "error".</summary>
public sealed record StatusResponse(string Code, string? Message);

public sealed record EventResponse(string Name, long TimeUnixNano, IDictionary<string, object?> Attributes, uint DroppedAttributesCount);

public sealed record LinkResponse(string TraceId, string SpanId, string? TraceState, IDictionary<string, object?> Attributes, uint Flags);

public sealed record ScopeResponse(string Name, string? Version, IDictionary<string, object?> Attributes);
