using System.Globalization;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

public sealed partial class ClickHouseSearchIndexStore
{
    private const string Newest = "ORDER BY start_time DESC, trace_hi DESC, trace_lo DESC, span_id DESC";

    /// <summary>
    /// Newest first in windows of time from the end of the range (an hour, then eight times wider each round) until the
    /// page is full: 18.16 cannot read the primary index backwards to stop at the limit, so a page of the last minutes
    /// of a week's range would otherwise read the whole week. The range is first narrowed to the days that hold parts.
    /// </summary>
    public async Task<IReadOnlyList<SearchInvocationRow>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Limit);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (from, to) = (request.FromUnixNano, request.ToUnixNano);
        var after = "";
        if (request.After is { } cursor)
        {
            to = Math.Min(to, cursor.StartTimeUnixNano == long.MaxValue ? long.MaxValue : cursor.StartTimeUnixNano + 1);
            var (start, hi, lo, span) = (ClickHouseSql.Literal(cursor.StartTimeUnixNano), ClickHouseSql.Literal((ulong)(cursor.TraceId >> 64)),
                ClickHouseSql.Literal((ulong)cursor.TraceId), ClickHouseSql.Literal(cursor.SpanId));
            after = $" AND (start_time < {start} OR (start_time = {start} AND (trace_hi < {hi} OR (trace_hi = {hi}"
                + $" AND (trace_lo < {lo} OR (trace_lo = {lo} AND span_id < {span}))))))";
        }
        if (await StoredRangeAsync(cancellationToken).ConfigureAwait(false) is not { } stored)
            return [];
        (from, to) = (Math.Max(from, stored.From), Math.Min(to, stored.To));
        var rows = new List<SearchInvocationRow>();
        // Every window sees the same writes, so an invocation a write moved cannot show up in two windows.
        var visible = _log.VisibleFilter;
        var width = (Int128)SearchWindow.First;
        for (var end = to; end > from && rows.Count < request.Limit; width *= SearchWindow.Growth)
        {
            var start = (long)Int128.Max(from, end - width);
            var sql = $"SELECT {SearchColumns.Row} FROM ({Matching(request.Query, start, end, visible)}{after})"
                + $" {Newest} LIMIT {ClickHouseSql.Literal(request.Limit - rows.Count)}";
            rows.AddRange(await _client.QueryAsync(sql, SearchRowReader.Read, cancellationToken).ConfigureAwait(false));
            end = start;
        }
        return rows;
    }

    /// <summary>
    /// A range that holds every stored start, from the daily partitions of search_invocations (metadata, no data
    /// read); null when there are none. intDiv truncates towards zero, so day d holds starts in ((d-1)·D, (d+1)·D).
    /// </summary>
    private async Task<(long From, long To)?> StoredRangeAsync(CancellationToken cancellationToken)
    {
        var days = await _client.QueryAsync(
            "SELECT count(), min(toInt64(partition)), max(toInt64(partition)) FROM system.parts"
            + " WHERE database = currentDatabase() AND table = 'search_invocations' AND active",
            row => (Parts: row.GetInt64(0), First: row.GetInt64(1), Last: row.GetInt64(2)), cancellationToken).ConfigureAwait(false);
        if (days.Count == 0 || days[0].Parts == 0)
            return null;
        var (_, first, last) = days[0];
        return (Clamp(((Int128)first - 1) * SearchWindow.Day), Clamp(((Int128)last + 1) * SearchWindow.Day));
    }

    private static long Clamp(Int128 value) => (long)Int128.Clamp(value, long.MinValue, long.MaxValue);

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
        var sql = $"SELECT intDiv(start_time - {ClickHouseSql.Literal(fromUnixNano)}, toInt64({ClickHouseSql.Literal(bucketNanos)})) AS b, count() FROM ({Matching(query, fromUnixNano, toUnixNano)})"
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
    private string Matching(QueryNode query, long fromUnixNano, long toUnixNano, string? visibleFilter = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var visible = visibleFilter ?? _log.VisibleFilter;
        var condition = ClickHouseSearchSqlTranslator.Translate(query, Latest("search_texts", visible, fromUnixNano, toUnixNano), visible);
        return $"SELECT * FROM ({Latest("search_invocations", visible, fromUnixNano, toUnixNano)}) WHERE deleted = 0 AND ({condition})";
    }

    private static string Latest(string table, string visible, long fromUnixNano, long toUnixNano) =>
        $"SELECT * FROM {table} WHERE {visible} AND start_time >= {ClickHouseSql.Literal(fromUnixNano)} AND start_time < {ClickHouseSql.Literal(toUnixNano)}"
        + $" ORDER BY version DESC LIMIT 1 BY {SearchColumns.Key}";
}
