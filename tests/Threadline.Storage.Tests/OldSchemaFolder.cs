using System.Numerics;
using DuckDB.NET.Data;
using Threadline.Storage.DuckDb;
using Threadline.Storage.Encoding;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>
/// A data folder as schema version 2 (or 1: the same without trace_index) wrote it, made with SQL: the input of the
/// upgrade at open. Its tables are those of Sql/schema.sql before version 3: no commit_seq column, no commit_sequence
/// table.
/// </summary>
internal static class OldSchemaFolder
{
    private const string Version2Schema = """
        CREATE TABLE IF NOT EXISTS threadline_schema (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS resources (
            id UBIGINT NOT NULL,
            service VARCHAR NOT NULL,
            attributes VARCHAR NOT NULL,
            schema_url VARCHAR,
            dropped_attributes_count UINTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS scopes (
            id UBIGINT NOT NULL,
            name VARCHAR NOT NULL,
            version VARCHAR,
            attributes VARCHAR NOT NULL,
            dropped_attributes_count UINTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS spans (
            trace_id HUGEINT NOT NULL,
            span_id UBIGINT NOT NULL,
            parent_span_id UBIGINT NOT NULL,
            start_time_unix_nano BIGINT NOT NULL,
            duration_nanos BIGINT NOT NULL,
            name VARCHAR NOT NULL,
            kind UTINYINT NOT NULL,
            status_code UTINYINT NOT NULL,
            status_message VARCHAR,
            service VARCHAR NOT NULL,
            resource_id UBIGINT NOT NULL,
            scope_id UBIGINT NOT NULL,
            trace_state VARCHAR,
            flags UINTEGER NOT NULL,
            attributes VARCHAR NOT NULL,
            events VARCHAR NOT NULL,
            links VARCHAR NOT NULL,
            dropped_attributes_count UINTEGER NOT NULL,
            dropped_events_count UINTEGER NOT NULL,
            dropped_links_count UINTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS logs (
            time_unix_nano BIGINT NOT NULL,
            observed_time_unix_nano BIGINT NOT NULL,
            trace_id HUGEINT NOT NULL,
            span_id UBIGINT NOT NULL,
            flags UINTEGER NOT NULL,
            severity_number UTINYINT NOT NULL,
            severity_text VARCHAR,
            event_name VARCHAR,
            body VARCHAR NOT NULL,
            attributes VARCHAR NOT NULL,
            service VARCHAR NOT NULL,
            resource_id UBIGINT NOT NULL,
            scope_id UBIGINT NOT NULL,
            dropped_attributes_count UINTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS trace_index (
            trace_key UBIGINT NOT NULL,
            min_start_unix_nano BIGINT NOT NULL,
            max_start_unix_nano BIGINT NOT NULL
        );
        """;

    public static void Create(string folder, int version, IReadOnlyList<SpanRecord> spans, IReadOnlyList<LogRecord> logs)
    {
        Directory.CreateDirectory(folder);
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(folder, DuckDbStoreOptions.FileName)}");
        connection.Open();
        Execute(connection, Version2Schema);
        var resources = spans.Select(s => s.Resource).Concat(logs.Select(l => l.Resource)).DistinctBy(r => r.Id);
        foreach (var r in resources)
            Execute(connection, "INSERT INTO resources VALUES ($1, $2, $3, $4, $5)", r.Id, r.Service, TelemetryJson.WriteAttributes(r.Attributes), r.SchemaUrl, r.DroppedAttributesCount);
        foreach (var s in spans.Select(s => s.Scope).Concat(logs.Select(l => l.Scope)).DistinctBy(s => s.Id))
            Execute(connection, "INSERT INTO scopes VALUES ($1, $2, $3, $4, $5)", s.Id, s.Name, s.Version, TelemetryJson.WriteAttributes(s.Attributes), s.DroppedAttributesCount);
        foreach (var s in spans)
        {
            Execute(connection, "INSERT INTO spans VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
                HugeInt(s.TraceId), s.SpanId, s.ParentSpanId, s.StartTimeUnixNano, s.EndTimeUnixNano - s.StartTimeUnixNano, s.Name, (byte)s.Kind,
                (byte)s.StatusCode, s.StatusMessage, s.Service, s.Resource.Id, s.Scope.Id, s.TraceState, s.Flags,
                TelemetryJson.WriteAttributes(s.Attributes), TelemetryJson.WriteEvents(s.Events), TelemetryJson.WriteLinks(s.Links),
                s.DroppedAttributesCount, s.DroppedEventsCount, s.DroppedLinksCount);
        }
        foreach (var l in logs)
        {
            Execute(connection, "INSERT INTO logs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                l.TimeUnixNano, l.ObservedTimeUnixNano, HugeInt(l.TraceId), l.SpanId, l.Flags, l.SeverityNumber, l.SeverityText, l.EventName,
                TelemetryJson.WriteValue(l.Body), TelemetryJson.WriteAttributes(l.Attributes), l.Resource.Service, l.Resource.Id, l.Scope.Id,
                l.DroppedAttributesCount);
        }
        if (version == 2)
        {
            foreach (var trace in spans.GroupBy(s => s.TraceId))
                Execute(connection, "INSERT INTO trace_index VALUES ($1, $2, $3)", (ulong)trace.Key, trace.Min(s => s.StartTimeUnixNano), trace.Max(s => s.StartTimeUnixNano));
        }
        else
        {
            Execute(connection, "DROP TABLE trace_index");
        }
        Execute(connection, "INSERT INTO threadline_schema VALUES ($1)", version);
    }

    private static BigInteger HugeInt(UInt128 traceId) => (BigInteger)(Int128)traceId;

    private static void Execute(DuckDBConnection connection, string sql, params object?[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in values)
            command.Parameters.Add(new DuckDBParameter(value ?? DBNull.Value));
        command.ExecuteNonQuery();
    }
}
