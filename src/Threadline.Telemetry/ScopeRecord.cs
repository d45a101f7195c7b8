namespace Threadline.Telemetry;

/// <summary>An instrumentation scope. <see cref="Id"/> is a hash of its content, as for resources.</summary>
public sealed record ScopeRecord(ulong Id, string Name, string? Version, IReadOnlyList<KeyValue> Attributes, uint DroppedAttributesCount = 0);
