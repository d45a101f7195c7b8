namespace Threadline.Telemetry;

/// <summary>
/// A resource (the process or function that emitted telemetry). <see cref="Id"/> is a hash of its content,
/// so that identical resources sent by many requests are stored once.
/// </summary>
public sealed record ResourceRecord(ulong Id, string Service, IReadOnlyList<KeyValue> Attributes, string? SchemaUrl, uint DroppedAttributesCount = 0);
