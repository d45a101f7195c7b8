using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>An exception event of a span: type, message and the top frame of its stack trace.</summary>
public sealed record ExceptionFacts(string? Type, string? Message, string? TopFrame);

/// <summary>A failed outgoing call (CLIENT span): what was called and what it answered.</summary>
public sealed record FailedCall(string Target, int? HttpStatus, string? Error, long EndTimeUnixNano);

/// <summary>
/// What analysis needs of one span, read once when it is committed (payloads are not kept; the user and VIP rules
/// are applied to the event here).
/// </summary>
public sealed record SpanDetails
{
    public required UInt128 TraceId { get; init; }
    public required ulong SpanId { get; init; }
    public ulong ParentSpanId { get; init; }
    public long StartTimeUnixNano { get; init; }
    public SpanKind Kind { get; init; }
    public bool Timeout { get; init; }
    public string? Version { get; init; }
    public string? CodeHash { get; init; }
    public long? MemoryBytes { get; init; }
    public string? Architecture { get; init; }
    public ExceptionFacts? Exception { get; init; }
    /// <summary>For a CLIENT span (an outgoing call): when it ended.</summary>
    public long? CallEndTimeUnixNano { get; init; }
    public FailedCall? FailedCall { get; init; }
    public string? User { get; init; }
    public bool VipMarker { get; init; }
    /// <summary>For an invocation span of a batch trigger: the records' keys in record order (<c>threadline.trigger.keys</c>).</summary>
    public IReadOnlyList<string> TriggerKeys { get; init; } = [];
    /// <summary>For an invocation span: the keys of the records its partial batch response reported failed.</summary>
    public IReadOnlyList<string> FailedKeys { get; init; } = [];
    /// <summary>For a record span (<c>threadline.tracer ForEachRecordAsync</c>): the record's keys, its own first.</summary>
    public IReadOnlyList<string>? RecordKeys { get; init; }
    /// <summary>For a record span: its processing failed; <see cref="RecordError"/> is the span's status message.</summary>
    public bool RecordFailed { get; init; }
    public string? RecordError { get; init; }
    /// <summary>For an invocation span consuming an on-failure destination: the stream records Lambda dropped.</summary>
    public IReadOnlyList<Batches.SkippedStreamRange> SkippedRanges { get; init; } = [];
    /// <summary>For an invocation span consuming an on-failure destination: the keys of the async events Lambda dropped.</summary>
    public IReadOnlyList<string> DroppedKeys { get; init; } = [];
}
