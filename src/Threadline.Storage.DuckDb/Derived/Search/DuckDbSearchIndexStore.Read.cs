using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.DuckDb.Derived.Search;

public sealed partial class DuckDbSearchIndexStore
{
    private const string Newest = "ORDER BY i.start_ns DESC, i.trace_id_hi DESC, i.trace_id_lo DESC, i.span_id DESC";

    public async Task<IReadOnlyList<SearchInvocationRow>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Limit);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for the range of row numbers and the search: an invocation written between them is in neither.
        using var snapshot = connection.BeginTransaction();
        var (condition, parameters, _) = await WhereAsync(connection, request.Query, request.FromUnixNano, request.ToUnixNano, readsSideTable: false, cancellationToken).ConfigureAwait(false);
        if (request.After is { } after)
        {
            var (hi, lo) = ((ulong)(after.TraceId >> 64), (ulong)after.TraceId);
            condition += $" AND (i.start_ns < {Add(parameters, after.StartTimeUnixNano)} OR (i.start_ns = {Add(parameters, after.StartTimeUnixNano)}"
                + $" AND (i.trace_id_hi < {Add(parameters, hi)} OR (i.trace_id_hi = {Add(parameters, hi)}"
                + $" AND (i.trace_id_lo < {Add(parameters, lo)} OR (i.trace_id_lo = {Add(parameters, lo)} AND i.span_id < {Add(parameters, after.SpanId)}))))))";
        }
        var sql = $"{SearchSqlText.Columns} WHERE {condition} {Newest} LIMIT {request.Limit.ToString(CultureInfo.InvariantCulture)}";
        return [.. (await ReadRowsAsync(connection, sql, parameters, cancellationToken).ConfigureAwait(false)).Select(r => r.Row)];
    }

    public async Task<long> CountAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for the range of row numbers and the search: an invocation written between them is in neither.
        using var snapshot = connection.BeginTransaction();
        var (condition, parameters, _) = await WhereAsync(connection, request.Query, request.FromUnixNano, request.ToUnixNano, readsSideTable: false, cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, $"SELECT count(*) FROM search_invocations i WHERE {condition}", parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<SearchInvocationRow>> GetInvocationsAsync(IReadOnlyCollection<(UInt128 TraceId, ulong SpanId)> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            return [];
        var parameters = new List<object?>();
        var byId = ids.Distinct().Select(id =>
            $"(i.trace_id_hi = {Add(parameters, (ulong)(id.TraceId >> 64))} AND i.trace_id_lo = {Add(parameters, (ulong)id.TraceId)} AND i.span_id = {Add(parameters, id.SpanId)})");
        var sql = $"{SearchSqlText.Columns} WHERE {string.Join(" OR ", byId)} {Newest}";
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ReadRowsAsync(connection, sql, parameters, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
            return [];
        var invs = string.Join(", ", rows.Select(r => r.Inv.ToString(CultureInfo.InvariantCulture)));
        var keysById = _keys.ToDictionary(k => k.Value, k => k.Key);
        var attributes = new Dictionary<long, List<SearchAttributeRow>>();
        // Span attributes by invocation, and the attributes of each invocation's resource set.
        await ForEachAsync(connection, $"SELECT inv, key_id, str, num, flag FROM search_attributes WHERE inv IN ({invs})"
            + $" UNION ALL SELECT i.inv, s.key_id, s.str, s.num, s.flag FROM search_invocations i JOIN search_resource_sets s ON s.set_id = i.resource_set WHERE i.inv IN ({invs})"
            + " ORDER BY inv, key_id", reader =>
        {
            var (scope, key) = keysById[reader.GetInt32(1)];
            var value = !reader.IsDBNull(2) ? SearchAttributeRow.OfText(scope, key, reader.GetString(2))
                : !reader.IsDBNull(3) ? SearchAttributeRow.OfNumber(scope, key, reader.GetDouble(3))
                : SearchAttributeRow.OfBoolean(scope, key, reader.GetBoolean(4));
            Group(attributes, reader.GetInt64(0)).Add(value);
        }, cancellationToken).ConfigureAwait(false);
        var messages = new Dictionary<long, List<string>>();
        await ForEachAsync(connection, $"SELECT inv, message_id FROM search_message_ids WHERE inv IN ({invs}) ORDER BY inv, message_id",
            reader => Group(messages, reader.GetInt64(0)).Add(reader.GetString(1)), cancellationToken).ConfigureAwait(false);
        var texts = new Dictionary<long, List<SearchTextRow>>();
        await ForEachAsync(connection, $"SELECT inv, source, text FROM search_texts WHERE inv IN ({invs}) ORDER BY inv, rowid",
            reader => Group(texts, reader.GetInt64(0)).Add(new SearchTextRow(reader.GetString(1), reader.GetString(2))), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.Row with
        {
            Attributes = attributes.GetValueOrDefault(r.Inv) ?? [],
            MessageIds = messages.GetValueOrDefault(r.Inv) ?? [],
            Texts = texts.GetValueOrDefault(r.Inv) ?? [],
        })];
    }

    public async Task<IReadOnlyList<SearchValueCount>> TopValuesAsync(QueryNode query, long fromUnixNano, long toUnixNano, QueryField field, string prefix, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for the range of row numbers and the search: an invocation written between them is in neither.
        using var snapshot = connection.BeginTransaction();
        var spanAttribute = field is AttributeField { Scope: not AttributeScope.Resource };
        var (condition, parameters, invocations) = await WhereAsync(connection, query, fromUnixNano, toUnixNano, spanAttribute, cancellationToken)
            .ConfigureAwait(false);
        string sql;
        if (field is AttributeField attribute)
        {
            if (KeyIdOf(attribute.Scope, attribute.Key) is not { } keyId)
                return [];
            var join = attribute.Scope == AttributeScope.Resource
                ? "JOIN search_resource_sets a ON a.set_id = i.resource_set"
                : $"JOIN search_attributes a ON a.inv = i.inv AND a.inv BETWEEN {invocations!.Value.First.ToString(CultureInfo.InvariantCulture)} AND {invocations.Value.Last.ToString(CultureInfo.InvariantCulture)}";
            sql = $"SELECT a.str, a.num, a.flag, count(DISTINCT i.inv) AS n FROM search_invocations i {join}"
                + $" WHERE a.key_id = {Add(parameters, keyId)} AND {condition}"
                + (prefix.Length > 0 ? $" AND starts_with(coalesce(a.str, CAST(a.num AS VARCHAR), CAST(a.flag AS VARCHAR)), {Add(parameters, prefix)})" : "")
                + $" GROUP BY a.str, a.num, a.flag ORDER BY n DESC, a.str, a.num, a.flag LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
            return await ReadValuesAsync(connection, sql, parameters, reader =>
                !reader.IsDBNull(0) ? (reader.GetString(0), "string")
                : !reader.IsDBNull(1) ? (reader.GetDouble(1).ToString("R", CultureInfo.InvariantCulture), "number")
                : (reader.GetBoolean(2) ? "true" : "false", "boolean"), cancellationToken).ConfigureAwait(false);
        }
        var definition = ((CatalogField)field).Definition;
        if (definition == FieldCatalog.Duration)
            return [];
        var (expression, from, kind) = definition.Name switch
        {
            "messageid" => ("m.message_id", "search_invocations i JOIN search_message_ids m ON m.inv = i.inv", "string"),
            "status" => ("CASE WHEN i.failed THEN 'error' ELSE 'ok' END", "search_invocations i", "string"),
            "cold" => ("CASE WHEN i.cold THEN 'true' ELSE 'false' END", "search_invocations i", "boolean"),
            "vip" => ("CASE WHEN i.vip THEN 'true' ELSE 'false' END", "search_invocations i", "boolean"),
            "trace" => ("(lpad(lower(hex(i.trace_id_hi)), 16, '0') || lpad(lower(hex(i.trace_id_lo)), 16, '0'))", "search_invocations i", "string"),
            _ => (ColumnOf(definition), "search_invocations i", "string"),
        };
        sql = $"SELECT {expression} AS v, count(DISTINCT i.inv) AS n FROM {from} WHERE {condition} AND v IS NOT NULL"
            + (prefix.Length > 0 ? $" AND starts_with(v, {Add(parameters, prefix)})" : "")
            + $" GROUP BY v ORDER BY n DESC, v LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
        return await ReadValuesAsync(connection, sql, parameters, reader => (reader.GetString(0), kind), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SearchBucket>> HistogramAsync(QueryNode query, long fromUnixNano, long toUnixNano, long bucketNanos, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketNanos);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for the range of row numbers and the search: an invocation written between them is in neither.
        using var snapshot = connection.BeginTransaction();
        var (condition, parameters, _) = await WhereAsync(connection, query, fromUnixNano, toUnixNano, readsSideTable: false, cancellationToken).ConfigureAwait(false);
        var sql = $"SELECT (i.start_ns - {Add(parameters, fromUnixNano)}) // {Add(parameters, bucketNanos)} AS b, count(*) FROM search_invocations i"
            + $" WHERE {condition} GROUP BY b ORDER BY b";
        var buckets = new List<SearchBucket>();
                await ForEachAsync(connection, sql, parameters,
            reader => buckets.Add(new SearchBucket(fromUnixNano + reader.GetInt64(0) * bucketNanos, reader.GetInt64(1))), cancellationToken).ConfigureAwait(false);
        return buckets;
    }

    public Task<IReadOnlyList<string>> AttributeKeysAsync(AttributeScope scope, string prefix, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        IReadOnlyList<string> keys = [.. _keys.Keys
            .Where(k => k.Scope == scope && k.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k.Key)
            .Order(StringComparer.Ordinal)
            .Take(limit)];
        return Task.FromResult(keys);
    }

    /// <param name="readsSideTable">The caller reads a side table as well: the range of row numbers is wanted anyway.</param>
    private async Task<(string Condition, List<object?> Parameters, InvRange? Invocations)> WhereAsync(DuckDBConnection connection, QueryNode query,
        long fromUnixNano, long toUnixNano, bool readsSideTable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var invocations = readsSideTable || SearchSqlTranslator.ReadsSideTables(query)
            ? await InvocationsStartedBetweenAsync(connection, fromUnixNano, toUnixNano, cancellationToken).ConfigureAwait(false)
            : (InvRange?)null;
        var (condition, parameters) = SearchSqlTranslator.Translate(query, KeyIdOf, invocations);
        return ($"i.start_ns >= {Add(parameters, fromUnixNano)} AND i.start_ns < {Add(parameters, toUnixNano)} AND ({condition})", parameters, invocations);
    }

    /// <summary>
    /// The row numbers of the invocations that started in the range: the search tests only those, so the side tables are
    /// read only between the first and the last (an index written as data arrives numbers an hour's invocations closely).
    /// </summary>
    private static async Task<InvRange> InvocationsStartedBetweenAsync(DuckDBConnection connection, long fromUnixNano, long toUnixNano,
        CancellationToken cancellationToken)
    {
        using var command = Command(connection, "SELECT min(inv), max(inv) FROM search_invocations WHERE start_ns >= $1 AND start_ns < $2",
            [fromUnixNano, toUnixNano]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.IsDBNull(0) ? new InvRange(0, -1) : new InvRange(reader.GetInt64(0), reader.GetInt64(1));
    }

    private static string ColumnOf(FieldDefinition field) => field.Name switch
    {
        "function" => "i.function",
        "entry" => "i.entry",
        "trigger" => "i.trigger_kind",
        "error" => "i.error_type",
        "message" => "i.error_message",
        "version" => "i.version",
        "user" => "i.user_name",
        "request" => "i.request_id",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Name, "no column for the field"),
    };

    private static string Add(List<object?> parameters, object? value)
    {
        parameters.Add(value);
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    private static List<T> Group<T>(Dictionary<long, List<T>> groups, long inv)
    {
        if (!groups.TryGetValue(inv, out var list))
            groups[inv] = list = [];
        return list;
    }

    private static async Task<List<(long Inv, SearchInvocationRow Row)>> ReadRowsAsync(DuckDBConnection connection, string sql, List<object?> parameters, CancellationToken cancellationToken)
    {
        var rows = new List<(long, SearchInvocationRow)>();
        await ForEachAsync(connection, sql, parameters, reader => rows.Add((reader.GetInt64(0), new SearchInvocationRow
        {
            TraceId = new UInt128(reader.GetFieldValue<ulong>(1), reader.GetFieldValue<ulong>(2)),
            SpanId = reader.GetFieldValue<ulong>(3),
            StartTimeUnixNano = reader.GetInt64(4),
            DurationNanos = reader.GetInt64(5),
            Function = reader.GetString(6),
            Entry = Text(reader, 7),
            TriggerKind = Text(reader, 8),
            TriggerResource = Text(reader, 9),
            Failed = reader.GetBoolean(10),
            ErrorType = Text(reader, 11),
            ErrorMessage = Text(reader, 12),
            ColdStart = reader.GetBoolean(13),
            Version = Text(reader, 14),
            User = Text(reader, 15),
            Vip = reader.GetBoolean(16),
            RequestId = Text(reader, 17),
        })), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static async Task<IReadOnlyList<SearchValueCount>> ReadValuesAsync(DuckDBConnection connection, string sql, List<object?> parameters,
        Func<DbDataReader, (string Value, string Kind)> read, CancellationToken cancellationToken)
    {
        var values = new List<SearchValueCount>();
        await ForEachAsync(connection, sql, parameters, reader =>
        {
            var (value, kind) = read(reader);
            values.Add(new SearchValueCount(value, kind, reader.GetInt64(reader.FieldCount - 1)));
        }, cancellationToken).ConfigureAwait(false);
        return values;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static Task ForEachAsync(DuckDBConnection connection, string sql, Action<DbDataReader> read, CancellationToken cancellationToken) =>
        ForEachAsync(connection, sql, [], read, cancellationToken);

    private static async Task ForEachAsync(DuckDBConnection connection, string sql, List<object?> parameters, Action<DbDataReader> read, CancellationToken cancellationToken)
    {
        using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            read(reader);
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, List<object?> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
            command.Parameters.Add(new DuckDBParameter(parameter ?? DBNull.Value));
        return command;
    }
}
