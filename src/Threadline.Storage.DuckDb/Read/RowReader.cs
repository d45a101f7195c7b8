using System.Data.Common;
using System.Numerics;
using Threadline.Storage.DuckDb.Write;
using Threadline.Storage.Encoding;
using Threadline.Telemetry;

namespace Threadline.Storage.DuckDb.Read;

/// <summary>Maps result rows back to records; column order is that of the SELECTs in the Sql folder.</summary>
internal static class RowReader
{
    public static SpanRecord ReadSpan(DbDataReader row, ResourceScopeCache cache)
    {
        var start = row.GetInt64(3);
        return new SpanRecord
        {
            TraceId = RowAppender.FromHugeInt(row.GetFieldValue<BigInteger>(0)),
            SpanId = row.GetFieldValue<ulong>(1),
            ParentSpanId = row.GetFieldValue<ulong>(2),
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + row.GetInt64(4),
            Name = row.GetString(5),
            Kind = (SpanKind)row.GetFieldValue<byte>(6),
            StatusCode = (StatusCode)row.GetFieldValue<byte>(7),
            StatusMessage = row.IsDBNull(8) ? null : row.GetString(8),
            TraceState = row.IsDBNull(9) ? null : row.GetString(9),
            Flags = row.GetFieldValue<uint>(10),
            Attributes = TelemetryJson.ReadAttributes(row.GetString(11)),
            Events = TelemetryJson.ReadEvents(row.GetString(12)),
            Links = TelemetryJson.ReadLinks(row.GetString(13)),
            DroppedAttributesCount = row.GetFieldValue<uint>(14),
            DroppedEventsCount = row.GetFieldValue<uint>(15),
            DroppedLinksCount = row.GetFieldValue<uint>(16),
            Resource = cache.Resource(row.GetFieldValue<ulong>(17)),
            Scope = cache.Scope(row.GetFieldValue<ulong>(18)),
        };
    }

    public static LogRecord ReadLog(DbDataReader row, ResourceScopeCache cache) => new()
    {
        TimeUnixNano = row.GetInt64(0),
        ObservedTimeUnixNano = row.GetInt64(1),
        TraceId = RowAppender.FromHugeInt(row.GetFieldValue<BigInteger>(2)),
        SpanId = row.GetFieldValue<ulong>(3),
        Flags = row.GetFieldValue<uint>(4),
        SeverityNumber = row.GetFieldValue<byte>(5),
        SeverityText = row.IsDBNull(6) ? null : row.GetString(6),
        EventName = row.IsDBNull(7) ? null : row.GetString(7),
        Body = TelemetryJson.ReadValue(row.GetString(8)),
        Attributes = TelemetryJson.ReadAttributes(row.GetString(9)),
        DroppedAttributesCount = row.GetFieldValue<uint>(10),
        Resource = cache.Resource(row.GetFieldValue<ulong>(11)),
        Scope = cache.Scope(row.GetFieldValue<ulong>(12)),
    };
}
