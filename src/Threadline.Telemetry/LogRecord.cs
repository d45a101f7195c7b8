namespace Threadline.Telemetry;

/// <summary>One log record, tied to a span when it carried trace and span ids.</summary>
public sealed class LogRecord
{
    public required long TimeUnixNano { get; init; }
    public long ObservedTimeUnixNano { get; init; }
    /// <summary>Zero when the record carried no trace id.</summary>
    public UInt128 TraceId { get; init; }
    /// <summary>Zero when the record carried no span id.</summary>
    public ulong SpanId { get; init; }
    public uint Flags { get; init; }
    public byte SeverityNumber { get; init; }
    public string? SeverityText { get; init; }
    public string? EventName { get; init; }
    /// <summary>The body, with the same value types as <see cref="KeyValue.Value"/>.</summary>
    public object? Body { get; init; }
    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];
    public uint DroppedAttributesCount { get; init; }
    public required ResourceRecord Resource { get; init; }
    public required ScopeRecord Scope { get; init; }
}
