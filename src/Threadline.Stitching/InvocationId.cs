using System.Diagnostics.CodeAnalysis;
using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>
/// Identifies an invocation by its root span. The text form is <c>&lt;32 hex trace id&gt;-&lt;16 hex span id&gt;</c>,
/// stable whatever the arrival order; a transaction's id is the id of its entry invocation.
/// </summary>
public readonly record struct InvocationId(UInt128 TraceId, ulong SpanId) : IComparable<InvocationId>
{
    public override string ToString() => $"{TelemetryIds.FormatTraceId(TraceId)}-{TelemetryIds.FormatSpanId(SpanId)}";

    public static bool TryParse([NotNullWhen(true)] string? text, out InvocationId id)
    {
        id = default;
        if (text is not { Length: 49 } || text[32] != '-')
            return false;
        if (!TelemetryIds.TryParseTraceId(text.AsSpan(0, 32), out var traceId)
            || !TelemetryIds.TryParseSpanId(text.AsSpan(33), out var spanId))
            return false;
        id = new InvocationId(traceId, spanId);
        return true;
    }

    public int CompareTo(InvocationId other)
    {
        var byTrace = TraceId.CompareTo(other.TraceId);
        return byTrace != 0 ? byTrace : SpanId.CompareTo(other.SpanId);
    }
}
