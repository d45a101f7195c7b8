namespace Threadline.Telemetry;

/// <summary>One span, with everything OTLP carried for it.</summary>
public sealed class SpanRecord
{
    public required UInt128 TraceId { get; init; }
    public required ulong SpanId { get; init; }
    /// <summary>Zero for a root span.</summary>
    public ulong ParentSpanId { get; init; }
    public string? TraceState { get; init; }
    public uint Flags { get; init; }
    public required string Name { get; init; }
    public SpanKind Kind { get; init; }
    public required long StartTimeUnixNano { get; init; }
    public required long EndTimeUnixNano { get; init; }
    public StatusCode StatusCode { get; init; }
    public string? StatusMessage { get; init; }
    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];
    public IReadOnlyList<SpanEvent> Events { get; init; } = [];
    public IReadOnlyList<SpanLink> Links { get; init; } = [];
    public uint DroppedAttributesCount { get; init; }
    public uint DroppedEventsCount { get; init; }
    public uint DroppedLinksCount { get; init; }
    public required ResourceRecord Resource { get; init; }
    public required ScopeRecord Scope { get; init; }

    public string Service => Resource.Service;
}
