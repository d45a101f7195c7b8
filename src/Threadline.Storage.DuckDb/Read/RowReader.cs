using System.Data.Common;
using Threadline.Storage.DuckDb.Write;
using Threadline.Storage.Encoding;
using Threadline.Telemetry;

namespace Threadline.Storage.DuckDb.Read;

/// <summary>Maps result rows back to records; column order is that of the SELECTs in the Sql folder.</summary>
internal static class RowReader
{
    public static SpanRecord ReadSpan(DbDataReader row, ResourceScopeCache cache)
    {
        var start = row.GetInt64(4);
        return new SpanRecord
        {
            TraceId = RowAppender.TraceId(row.GetFieldValue<ulong>(0), row.GetFieldValue<ulong>(1)),
            SpanId = row.GetFieldValue<ulong>(2),
            ParentSpanId = row.GetFieldValue<ulong>(3),
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + row.GetInt64(5),
            Name = row.GetString(6),
            Kind = (SpanKind)row.GetFieldValue<byte>(7),
            StatusCode = (StatusCode)row.GetFieldValue<byte>(8),
            StatusMessage = row.IsDBNull(9) ? null : row.GetString(9),
            TraceState = row.IsDBNull(10) ? null : row.GetString(10),
            Flags = row.GetFieldValue<uint>(11),
            Attributes = TelemetryJson.ReadAttributes(row.GetString(12)),
            Events = TelemetryJson.ReadEvents(row.GetString(13)),
            Links = TelemetryJson.ReadLinks(row.GetString(14)),
            DroppedAttributesCount = row.GetFieldValue<uint>(15),
            DroppedEventsCount = row.GetFieldValue<uint>(16),
            DroppedLinksCount = row.GetFieldValue<uint>(17),
            Resource = cache.Resource(row.GetFieldValue<ulong>(18)),
            Scope = cache.Scope(row.GetFieldValue<ulong>(19)),
        };
    }

    public static LogRecord ReadLog(DbDataReader row, ResourceScopeCache cache) => new()
    {
        TimeUnixNano = row.GetInt64(0),
        ObservedTimeUnixNano = row.GetInt64(1),
        TraceId = RowAppender.TraceId(row.GetFieldValue<ulong>(2), row.GetFieldValue<ulong>(3)),
        SpanId = row.GetFieldValue<ulong>(4),
        Flags = row.GetFieldValue<uint>(5),
        SeverityNumber = row.GetFieldValue<byte>(6),
        SeverityText = row.IsDBNull(7) ? null : row.GetString(7),
        EventName = row.IsDBNull(8) ? null : row.GetString(8),
        Body = TelemetryJson.ReadValue(row.GetString(9)),
        Attributes = TelemetryJson.ReadAttributes(row.GetString(10)),
        DroppedAttributesCount = row.GetFieldValue<uint>(11),
        Resource = cache.Resource(row.GetFieldValue<ulong>(12)),
        Scope = cache.Scope(row.GetFieldValue<ulong>(13)),
    };
}
