using System.Numerics;
using DuckDB.NET.Data;
using Threadline.Storage.Encoding;
using Threadline.Storage.Write;
using Threadline.Telemetry;

namespace Threadline.Storage.DuckDb.Write;

/// <summary>Appends records as rows through DuckDB's appender (columnar, batched), in schema column order; spans' and logs' text as UTF-8 (<see cref="Utf8Text"/>).</summary>
internal static class RowAppender
{
    public static BigInteger ToHugeInt(UInt128 traceId) => (BigInteger)(Int128)traceId;

    public static UInt128 FromHugeInt(BigInteger value) => (UInt128)(Int128)value;

    /// <summary>The key of a trace in <c>trace_index</c>: the low 64 bits of its id.</summary>
    public static ulong TraceKey(UInt128 traceId) => (ulong)traceId;

    public static void AppendResource(DuckDBAppender appender, ResourceRecord resource) =>
        appender.CreateRow()
            .AppendValue(resource.Id)
            .AppendValue(resource.Service)
            .AppendValue(TelemetryJson.WriteAttributes(resource.Attributes))
            .AppendValue(resource.SchemaUrl)
            .AppendValue(resource.DroppedAttributesCount)
            .EndRow();

    public static void AppendScope(DuckDBAppender appender, ScopeRecord scope) =>
        appender.CreateRow()
            .AppendValue(scope.Id)
            .AppendValue(scope.Name)
            .AppendValue(scope.Version)
            .AppendValue(TelemetryJson.WriteAttributes(scope.Attributes))
            .AppendValue(scope.DroppedAttributesCount)
            .EndRow();

    public static void AppendTraceRange(DuckDBAppender appender, TraceRanges.Range range) =>
        appender.CreateRow()
            .AppendValue(TraceKey(range.TraceId))
            .AppendValue(range.MinStart)
            .AppendValue(range.MaxStart)
            .EndRow();

    public static void AppendSpan(DuckDBAppender appender, SpanRecord span, long commitSequence, Utf8Text text)
    {
        var row = appender.CreateRow()
            .AppendValue(ToHugeInt(span.TraceId))
            .AppendValue(span.SpanId)
            .AppendValue(span.ParentSpanId)
            .AppendValue(span.StartTimeUnixNano)
            .AppendValue(span.EndTimeUnixNano - span.StartTimeUnixNano);
        row = text.Append(row, span.Name)
            .AppendValue((byte)span.Kind)
            .AppendValue((byte)span.StatusCode);
        row = text.Append(row, span.StatusMessage);
        row = text.Append(row, span.Service)
            .AppendValue(span.Resource.Id)
            .AppendValue(span.Scope.Id);
        row = text.Append(row, span.TraceState)
            .AppendValue(span.Flags);
        row = text.Append(row, TelemetryJson.WriteAttributes(span.Attributes));
        row = text.Append(row, TelemetryJson.WriteEvents(span.Events));
        row = text.Append(row, TelemetryJson.WriteLinks(span.Links))
            .AppendValue(span.DroppedAttributesCount)
            .AppendValue(span.DroppedEventsCount)
            .AppendValue(span.DroppedLinksCount)
            .AppendValue(commitSequence);
        row.EndRow();
    }

    public static void AppendLog(DuckDBAppender appender, LogRecord log, long commitSequence, Utf8Text text)
    {
        var row = appender.CreateRow()
            .AppendValue(log.TimeUnixNano)
            .AppendValue(log.ObservedTimeUnixNano)
            .AppendValue(ToHugeInt(log.TraceId))
            .AppendValue(log.SpanId)
            .AppendValue(log.Flags)
            .AppendValue(log.SeverityNumber);
        row = text.Append(row, log.SeverityText);
        row = text.Append(row, log.EventName);
        row = text.Append(row, TelemetryJson.WriteValue(log.Body));
        row = text.Append(row, TelemetryJson.WriteAttributes(log.Attributes));
        row = text.Append(row, log.Resource.Service)
            .AppendValue(log.Resource.Id)
            .AppendValue(log.Scope.Id)
            .AppendValue(log.DroppedAttributesCount)
            .AppendValue(commitSequence);
        row.EndRow();
    }
}
