namespace Threadline.Telemetry;

public sealed record SpanEvent(string Name, long TimeUnixNano, IReadOnlyList<KeyValue> Attributes, uint DroppedAttributesCount = 0);
