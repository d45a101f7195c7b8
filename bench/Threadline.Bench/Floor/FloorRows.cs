using System.Numerics;
using Threadline.Storage.Encoding;
using Threadline.Telemetry;

namespace Threadline.Bench.Floor;

/// <summary>
/// A span or log record reduced to the column values of the store's schema, computed before the timed part
/// (including the attribute JSON), so that the floor measures the DuckDB appender and commits alone.
/// </summary>
internal sealed record SpanRow(BigInteger TraceId, ulong SpanId, ulong ParentSpanId, long Start, long Duration, string Name, byte Kind,
    byte Status, string? StatusMessage, string Service, ulong ResourceId, ulong ScopeId, string? TraceState, uint Flags,
    string Attributes, string Events, string Links, uint DroppedAttributes, uint DroppedEvents, uint DroppedLinks)
{
    public static SpanRow Of(SpanRecord s) => new((BigInteger)(Int128)s.TraceId, s.SpanId, s.ParentSpanId, s.StartTimeUnixNano,
        s.EndTimeUnixNano - s.StartTimeUnixNano, s.Name, (byte)s.Kind, (byte)s.StatusCode, s.StatusMessage, s.Service, s.Resource.Id,
        s.Scope.Id, s.TraceState, s.Flags, TelemetryJson.WriteAttributes(s.Attributes), TelemetryJson.WriteEvents(s.Events),
        TelemetryJson.WriteLinks(s.Links), s.DroppedAttributesCount, s.DroppedEventsCount, s.DroppedLinksCount);
}

internal sealed record LogRow(long Time, long ObservedTime, BigInteger TraceId, ulong SpanId, uint Flags, byte Severity, string? SeverityText,
    string? EventName, string Body, string Attributes, string Service, ulong ResourceId, ulong ScopeId, uint DroppedAttributes)
{
    public static LogRow Of(LogRecord l) => new(l.TimeUnixNano, l.ObservedTimeUnixNano, (BigInteger)(Int128)l.TraceId, l.SpanId, l.Flags,
        l.SeverityNumber, l.SeverityText, l.EventName, TelemetryJson.WriteValue(l.Body), TelemetryJson.WriteAttributes(l.Attributes),
        l.Resource.Service, l.Resource.Id, l.Scope.Id, l.DroppedAttributesCount);
}
