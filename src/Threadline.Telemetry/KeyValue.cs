namespace Threadline.Telemetry;

/// <summary>
/// One attribute. <see cref="Value"/> is null, <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>,
/// <see cref="double"/>, <see cref="byte"/>[] , <see cref="IReadOnlyList{T}"/> of such values (an OTLP array),
/// or <see cref="IReadOnlyList{T}"/> of <see cref="KeyValue"/> (an OTLP key/value list).
/// </summary>
public readonly record struct KeyValue(string Key, object? Value);
