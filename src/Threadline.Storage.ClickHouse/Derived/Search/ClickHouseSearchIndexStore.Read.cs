using System.Globalization;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

public sealed partial class ClickHouseSearchIndexStore
{
    private const string Newest = "ORDER BY start_time DESC, trace_hi DESC, trace_lo DESC, span_id DESC";

    public async Task<IReadOnlyList<SearchInvocationRow>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Limit);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var to = request.ToUnixNano;
        var after = "";
        if (request.After is { } cursor)
        {
            // The cursor's start also narrows the range read (the key leads with the start).
            to = Math.Min(to, cursor.StartTimeUnixNano == long.MaxValue ? long.MaxValue : cursor.StartTimeUnixNano + 1);
            var (start, hi, lo, span) = (ClickHouseSql.Literal(cursor.StartTimeUnixNano), ClickHouseSql.Literal((ulong)(cursor.TraceId >> 64)),
                ClickHouseSql.Literal((ulong)cursor.TraceId), ClickHouseSql.Literal(cursor.SpanId));
            after = $" AND (start_time < {start} OR (start_time = {start} AND (trace_hi < {hi} OR (trace_hi = {hi}"
                + $" AND (trace_lo < {lo} OR (trace_lo = {lo} AND span_id < {span}))))))";
        }
        var sql = $"SELECT {SearchColumns.Row} FROM ({Matching(request.Query, request.FromUnixNano, to)}{after})"
            + $" {Newest} LIMIT {ClickHouseSql.Literal(request.Limit)}";
        return await _client.QueryAsync(sql, SearchRowReader.Read, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = await _client.ScalarAsync($"SELECT count() FROM ({Matching(request.Query, request.FromUnixNano, request.ToUnixNano)})", cancellationToken).ConfigureAwait(false);
        return long.Parse(count ?? "0", CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<SearchBucket>> HistogramAsync(QueryNode query, long fromUnixNano, long toUnixNano, long bucketNanos, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketNanos);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sql = $"SELECT intDiv(start_time - {ClickHouseSql.Literal(fromUnixNano)}, {ClickHouseSql.Literal(bucketNanos)}) AS b, count() FROM ({Matching(query, fromUnixNano, toUnixNano)})"
            + " GROUP BY b ORDER BY b";
        return await _client.QueryAsync(sql, row => new SearchBucket(fromUnixNano + row.GetInt64(0) * bucketNanos, row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> AttributeKeysAsync(AttributeScope scope, string prefix, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (limit <= 0)
            return [];
        var sql = $"SELECT DISTINCT key FROM search_keys WHERE {_log.VisibleFilter} AND scope = {ClickHouseSql.Literal((int)scope)}"
            + $" AND startsWith(key, {ClickHouseSql.Literal(prefix)}) ORDER BY key LIMIT {ClickHouseSql.Literal(limit)}";
        return await _client.QueryAsync(sql, row => row.GetString(0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The latest visible rows of search_invocations that started in [from, to) and match the query: all columns.
    /// The time range bounds the primary index; the query filters only after the latest version of each key is taken
    /// (filtering older versions first could let one that matches stand in for a newer one that does not).
    /// </summary>
    private string Matching(QueryNode query, long fromUnixNano, long toUnixNano)
    {
        ArgumentNullException.ThrowIfNull(query);
        var visible = _log.VisibleFilter;
        var condition = ClickHouseSearchSqlTranslator.Translate(query, Latest("search_texts", visible, fromUnixNano, toUnixNano), visible);
        return $"SELECT * FROM ({Latest("search_invocations", visible, fromUnixNano, toUnixNano)}) WHERE deleted = 0 AND ({condition})";
    }

    private static string Latest(string table, string visible, long fromUnixNano, long toUnixNano) =>
        $"SELECT * FROM {table} WHERE {visible} AND start_time >= {ClickHouseSql.Literal(fromUnixNano)} AND start_time < {ClickHouseSql.Literal(toUnixNano)}"
        + $" ORDER BY version DESC LIMIT 1 BY {SearchColumns.Key}";
}
