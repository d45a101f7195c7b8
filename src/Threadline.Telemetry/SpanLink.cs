namespace Threadline.Telemetry;

public sealed record SpanLink(
    UInt128 TraceId,
    ulong SpanId,
    string? TraceState,
    IReadOnlyList<KeyValue> Attributes,
    uint Flags = 0,
    uint DroppedAttributesCount = 0);
