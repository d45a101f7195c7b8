using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Encoding;
using Threadline.Telemetry;

namespace Threadline.Storage.ClickHouse;

/// <summary>Records to RowBinary rows and TSV rows back to records, in the column orders named here.</summary>
internal static class SpanRows
{
    public static readonly string[] SpanColumns =
    [
        "service", "start_time_unix_nano", "trace_hi", "trace_lo", "span_id", "parent_span_id", "duration_nanos", "name",
        "kind", "status_code", "status_message", "resource_id", "scope_id", "trace_state", "flags", "attributes", "events",
        "links", "dropped_attributes_count", "dropped_events_count", "dropped_links_count", "commit_seq",
    ];

    public static readonly string[] LogColumns =
    [
        "service", "time_unix_nano", "observed_time_unix_nano", "trace_hi", "trace_lo", "span_id", "flags", "severity_number",
        "severity_text", "event_name", "body", "attributes", "resource_id", "scope_id", "dropped_attributes_count", "commit_seq",
    ];

    public static readonly string[] TraceIndexColumns = ["trace_lo", "min_start_unix_nano", "max_start_unix_nano"];

    public static readonly string[] ResourceColumns = ["id", "service", "attributes", "schema_url", "dropped_attributes_count"];

    public static readonly string[] ScopeColumns = ["id", "name", "version", "attributes", "dropped_attributes_count"];

    public static readonly string[] CommitColumns = ["seq", "state", "span_count", "log_count"];

    /// <summary>The SELECT list that <see cref="ReadSpan"/> reads.</summary>
    public static readonly string SpanSelect = string.Join(", ", SpanColumns.Where(c => c != "commit_seq"));

    public static readonly string LogSelect = string.Join(", ", LogColumns.Where(c => c != "commit_seq"));

    public static ulong High(UInt128 id) => (ulong)(id >> 64);

    public static ulong Low(UInt128 id) => (ulong)id;

    public static UInt128 TraceId(ulong high, ulong low) => new(high, low);

    public static void WriteSpan(RowBinaryWriter row, SpanRecord span, long commitSequence)
    {
        row.String(span.Service)
            .Int64(span.StartTimeUnixNano)
            .UInt64(High(span.TraceId)).UInt64(Low(span.TraceId))
            .UInt64(span.SpanId).UInt64(span.ParentSpanId)
            .Int64(span.EndTimeUnixNano - span.StartTimeUnixNano)
            .String(span.Name)
            .UInt8((byte)span.Kind).UInt8((byte)span.StatusCode)
            .NullableString(span.StatusMessage)
            .UInt64(span.Resource.Id).UInt64(span.Scope.Id)
            .NullableString(span.TraceState)
            .UInt32(span.Flags)
            .String(TelemetryJson.WriteAttributes(span.Attributes))
            .String(TelemetryJson.WriteEvents(span.Events))
            .String(TelemetryJson.WriteLinks(span.Links))
            .UInt32(span.DroppedAttributesCount).UInt32(span.DroppedEventsCount).UInt32(span.DroppedLinksCount)
            .UInt64((ulong)commitSequence)
            .EndRow();
    }

    public static void WriteLog(RowBinaryWriter row, LogRecord log, long commitSequence)
    {
        row.String(log.Resource.Service)
            .Int64(log.TimeUnixNano).Int64(log.ObservedTimeUnixNano)
            .UInt64(High(log.TraceId)).UInt64(Low(log.TraceId))
            .UInt64(log.SpanId).UInt32(log.Flags).UInt8(log.SeverityNumber)
            .NullableString(log.SeverityText).NullableString(log.EventName)
            .String(TelemetryJson.WriteValue(log.Body))
            .String(TelemetryJson.WriteAttributes(log.Attributes))
            .UInt64(log.Resource.Id).UInt64(log.Scope.Id)
            .UInt32(log.DroppedAttributesCount)
            .UInt64((ulong)commitSequence)
            .EndRow();
    }

    public static void WriteResource(RowBinaryWriter row, ResourceRecord resource) =>
        row.UInt64(resource.Id).String(resource.Service).String(TelemetryJson.WriteAttributes(resource.Attributes))
            .NullableString(resource.SchemaUrl).UInt32(resource.DroppedAttributesCount).EndRow();

    public static void WriteScope(RowBinaryWriter row, ScopeRecord scope) =>
        row.UInt64(scope.Id).String(scope.Name).NullableString(scope.Version)
            .String(TelemetryJson.WriteAttributes(scope.Attributes)).UInt32(scope.DroppedAttributesCount).EndRow();

    /// <summary>A span row, its resource and scope from the cache (the store wrote them before the span became visible).</summary>
    public static SpanRecord ReadSpan(TabSeparatedReader row, ResourceScopeCache cache)
    {
        var start = row.GetInt64(1);
        return new SpanRecord
            {
                TraceId = TraceId(row.GetUInt64(2), row.GetUInt64(3)),
                SpanId = row.GetUInt64(4),
                ParentSpanId = row.GetUInt64(5),
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + row.GetInt64(6),
                Name = row.GetString(7),
                Kind = (SpanKind)row.GetByte(8),
                StatusCode = (StatusCode)row.GetByte(9),
                StatusMessage = row.GetNullableString(10),
                TraceState = row.GetNullableString(13),
                Flags = row.GetUInt32(14),
                Attributes = TelemetryJson.ReadAttributes(row.GetString(15)),
                Events = TelemetryJson.ReadEvents(row.GetString(16)),
                Links = TelemetryJson.ReadLinks(row.GetString(17)),
                DroppedAttributesCount = row.GetUInt32(18),
                DroppedEventsCount = row.GetUInt32(19),
                DroppedLinksCount = row.GetUInt32(20),
                Resource = cache.Resource(row.GetUInt64(11)),
                Scope = cache.Scope(row.GetUInt64(12)),
            };
    }

    public static LogRecord ReadLog(TabSeparatedReader row, ResourceScopeCache cache) => new()
        {
            TimeUnixNano = row.GetInt64(1),
            ObservedTimeUnixNano = row.GetInt64(2),
            TraceId = TraceId(row.GetUInt64(3), row.GetUInt64(4)),
            SpanId = row.GetUInt64(5),
            Flags = row.GetUInt32(6),
            SeverityNumber = row.GetByte(7),
            SeverityText = row.GetNullableString(8),
            EventName = row.GetNullableString(9),
            Body = TelemetryJson.ReadValue(row.GetString(10)),
            Attributes = TelemetryJson.ReadAttributes(row.GetString(11)),
            DroppedAttributesCount = row.GetUInt32(14),
            Resource = cache.Resource(row.GetUInt64(12)),
            Scope = cache.Scope(row.GetUInt64(13)),
        };

    public static ResourceRecord ReadResource(TabSeparatedReader row) =>
        new(row.GetUInt64(0), row.GetString(1), TelemetryJson.ReadAttributes(row.GetString(2)), row.GetNullableString(3), row.GetUInt32(4));

    public static ScopeRecord ReadScope(TabSeparatedReader row) =>
        new(row.GetUInt64(0), row.GetString(1), row.GetNullableString(2), TelemetryJson.ReadAttributes(row.GetString(3)), row.GetUInt32(4));
}
