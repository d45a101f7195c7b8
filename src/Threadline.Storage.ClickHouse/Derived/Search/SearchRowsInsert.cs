using Threadline.Query.Fields;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>The inserts of one write of the search index, every row tagged with the write's version.</summary>
internal static class SearchRowsInsert
{
    private static readonly string[] InvocationColumns =
    [
        "start_time", "trace_hi", "trace_lo", "span_id", "version", "deleted", "duration", "function", "entry", "trigger_kind",
        "trigger_resource", "failed", "error_type", "error_message", "cold", "function_version", "user_name", "vip", "request_id",
        "resource_set", .. SearchAttributeArrays.Columns, "message_ids", "has_texts",
    ];

    private static readonly string[] TombstoneColumns = ["start_time", "trace_hi", "trace_lo", "span_id", "version", "deleted"];

    public static Task InvocationsAsync(ClickHouseClient client, IReadOnlyList<SearchInvocationRow> rows, ulong version, CancellationToken cancellationToken) =>
        client.InsertAsync("search_invocations", InvocationColumns, writer =>
        {
            foreach (var row in rows)
            {
                Key(writer, SearchRowKey.Of(row)).UInt64(version).UInt8(0)
                    .Int64(row.DurationNanos)
                    .String(row.Function)
                    .NullableString(row.Entry)
                    .NullableString(row.TriggerKind)
                    .NullableString(row.TriggerResource)
                    .UInt8(Flag(row.Failed))
                    .NullableString(row.ErrorType)
                    .NullableString(row.ErrorMessage)
                    .UInt8(Flag(row.ColdStart))
                    .NullableString(row.Version)
                    .NullableString(row.User)
                    .UInt8(Flag(row.Vip))
                    .NullableString(row.RequestId)
                    .UInt64(SearchResourceSet.Of(row)?.Id ?? 0);
                SearchAttributeArrays.Write(writer, [.. row.Attributes.Where(a => a.Scope == AttributeScope.Span).Distinct()]);
                SearchAttributeArrays.Strings(writer, [.. row.MessageIds.Distinct().Order(StringComparer.Ordinal)]);
                writer.UInt8(Flag(row.Texts.Count > 0)).EndRow();
            }
        }, cancellationToken);

    /// <summary>Rows with <c>deleted = 1</c> for the keys; the other columns take their defaults.</summary>
    public static Task TombstonesAsync(ClickHouseClient client, string table, IReadOnlyList<SearchRowKey> keys, ulong version, CancellationToken cancellationToken) =>
        client.InsertAsync(table, TombstoneColumns, writer =>
        {
            foreach (var key in keys)
                Key(writer, key).UInt64(version).UInt8(1).EndRow();
        }, cancellationToken);

    public static Task TextsAsync(ClickHouseClient client, IReadOnlyList<SearchInvocationRow> rows, ulong version, CancellationToken cancellationToken) =>
        client.InsertAsync("search_texts", [.. TombstoneColumns, "sources", "texts"], writer =>
        {
            foreach (var row in rows.Where(r => r.Texts.Count > 0))
            {
                Key(writer, SearchRowKey.Of(row)).UInt64(version).UInt8(0);
                SearchAttributeArrays.Strings(writer, [.. row.Texts.Select(t => t.Source)]);
                SearchAttributeArrays.Strings(writer, [.. row.Texts.Select(t => t.Text)]);
                writer.EndRow();
            }
        }, cancellationToken);

    public static Task StartsAsync(ClickHouseClient client, IReadOnlyList<SearchInvocationRow> rows, ulong version, CancellationToken cancellationToken) =>
        client.InsertAsync("search_starts", ["trace_lo", "trace_hi", "span_id", "start_time", "version"], writer =>
        {
            foreach (var row in rows)
                writer.UInt64((ulong)row.TraceId).UInt64((ulong)(row.TraceId >> 64)).UInt64(row.SpanId).Int64(row.StartTimeUnixNano).UInt64(version).EndRow();
        }, cancellationToken);

    public static Task ResourceSetsAsync(ClickHouseClient client, IReadOnlyList<SearchResourceSet> sets, ulong version, CancellationToken cancellationToken) =>
        client.InsertAsync("search_resource_sets", ["set_id", "version", .. SearchAttributeArrays.Columns], writer =>
        {
            foreach (var set in sets)
            {
                writer.UInt64(set.Id).UInt64(version);
                SearchAttributeArrays.Write(writer, set.Attributes);
                writer.EndRow();
            }
        }, cancellationToken);

    public static Task KeysAsync(ClickHouseClient client, IReadOnlyList<(AttributeScope Scope, string Key)> keys, ulong version, CancellationToken cancellationToken) =>
        client.InsertAsync("search_keys", ["scope", "key", "version"], writer =>
        {
            foreach (var (scope, key) in keys)
                writer.UInt8((byte)scope).String(key).UInt64(version).EndRow();
        }, cancellationToken);

    private static RowBinaryWriter Key(RowBinaryWriter writer, SearchRowKey key) =>
        writer.Int64(key.StartTime).UInt64(key.TraceHi).UInt64(key.TraceLo).UInt64(key.SpanId);

    private static byte Flag(bool value) => value ? (byte)1 : (byte)0;
}
