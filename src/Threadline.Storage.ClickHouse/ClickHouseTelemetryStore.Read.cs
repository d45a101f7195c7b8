using System.Runtime.CompilerServices;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Telemetry;

namespace Threadline.Storage.ClickHouse;

public sealed partial class ClickHouseTelemetryStore
{
    /// <summary>The most rows one query of a commit scan reads (whole commits, at least one).</summary>
    private const int CommittedScanChunk = 50_000;

    public async Task<IReadOnlyList<SpanRecord>> GetTraceAsync(UInt128 traceId, CancellationToken cancellationToken)
    {
        var traces = await GetTracesAsync([traceId], cancellationToken).ConfigureAwait(false);
        return traces.TryGetValue(traceId, out var spans) ? spans : [];
    }

    public async Task<IReadOnlyDictionary<UInt128, IReadOnlyList<SpanRecord>>> GetTracesAsync(IReadOnlyCollection<UInt128> traceIds, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(traceIds);
        var result = new Dictionary<UInt128, IReadOnlyList<SpanRecord>>();
        if (traceIds.Count == 0)
            return result;
        var visible = _visible.VisibleFilter();
        var ids = string.Join(", ", traceIds.Distinct().Select(id => $"({ClickHouseSql.Literal(SpanRows.High(id))}, {ClickHouseSql.Literal(SpanRows.Low(id))})"));
        // First where each trace lies in time (a primary-key lookup in trace_index), then only those ranges of spans.
        var keys = string.Join(", ", traceIds.Select(id => ClickHouseSql.Literal(SpanRows.Low(id))).Distinct());
        var ranges = await _client.QueryAsync(
            $"SELECT min(min_start_unix_nano), max(max_start_unix_nano) FROM trace_index WHERE trace_lo IN ({keys}) GROUP BY trace_lo",
            row => (Min: row.GetInt64(0), Max: row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        if (ranges.Count == 0)
            return result;
        var within = string.Join(" OR ", ranges.Select(r => $"start_time_unix_nano BETWEEN {ClickHouseSql.Literal(r.Min)} AND {ClickHouseSql.Literal(r.Max)}"));
        var spans = await QuerySpansAsync(
            $"""
            SELECT {SpanRows.SpanSelect} FROM spans
            WHERE (trace_hi, trace_lo) IN ({ids}) AND ({within}) AND {visible}
            ORDER BY start_time_unix_nano, span_id
            LIMIT 1 BY trace_hi, trace_lo, span_id
            """, cancellationToken).ConfigureAwait(false);
        foreach (var group in spans.GroupBy(s => s.TraceId))
            result[group.Key] = group.ToList();
        return result;
    }

    public Task<IReadOnlyList<SpanRecord>> FindSpansAsync(SpanQuery query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(query);
        var service = query.Service is null ? "" : $" AND service = {ClickHouseSql.Literal(query.Service)}";
        return QuerySpansAsync(
            $"""
            SELECT {SpanRows.SpanSelect} FROM spans
            WHERE start_time_unix_nano >= {ClickHouseSql.Literal(query.FromUnixNano)} AND start_time_unix_nano < {ClickHouseSql.Literal(query.ToUnixNano)}{service}
              AND {_visible.VisibleFilter()}
            ORDER BY start_time_unix_nano DESC, span_id
            LIMIT {ClickHouseSql.Literal(Math.Max(0, query.Limit))}
            """, cancellationToken);
    }

    public async Task<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string>
        {
            $"time_unix_nano >= {ClickHouseSql.Literal(query.FromUnixNano)}",
            $"time_unix_nano < {ClickHouseSql.Literal(query.ToUnixNano)}",
            _visible.VisibleFilter(),
        };
        if (query.TraceId is { } traceId)
            conditions.Add($"trace_hi = {ClickHouseSql.Literal(SpanRows.High(traceId))} AND trace_lo = {ClickHouseSql.Literal(SpanRows.Low(traceId))}");
        if (query.SpanId is { } spanId)
            conditions.Add($"span_id = {ClickHouseSql.Literal(spanId)}");
        if (query.TraceIds is { } traceIds)
        {
            conditions.Add(traceIds.Count == 0
                ? "0"
                : $"(trace_hi, trace_lo) IN ({string.Join(", ", traceIds.Distinct().Select(t => $"({ClickHouseSql.Literal(SpanRows.High(t))}, {ClickHouseSql.Literal(SpanRows.Low(t))})"))})");
        }
        return await _client.QueryAsync(
            $"""
            SELECT {SpanRows.LogSelect} FROM logs
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY time_unix_nano, observed_time_unix_nano
            LIMIT {ClickHouseSql.Literal(Math.Max(0, query.Limit))}
            """, row => SpanRows.ReadLog(row, _cache), cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansAsync(int pageSize, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return PagesAsync(StreamAsync([$"SELECT {SpanRows.SpanSelect} FROM spans WHERE {_visible.VisibleFilter()}"], row => SpanRows.ReadSpan(row, _cache), cancellationToken),
            pageSize, cancellationToken);
    }

    public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        ScanCommittedAfterAsync(sequence, pageSize, "spans", "span_count", SpanRows.SpanSelect, row => SpanRows.ReadSpan(row, _cache), cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<LogRecord>> ScanLogsCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        ScanCommittedAfterAsync(sequence, pageSize, "logs", "log_count", SpanRows.LogSelect, row => SpanRows.ReadLog(row, _cache), cancellationToken);

    /// <summary>The rows of <paramref name="table"/> of the visible commits past <paramref name="sequence"/>;
    /// <paramref name="countColumn"/> is the column of <c>commits</c> saying how many rows each write stored there.</summary>
    private async IAsyncEnumerable<IReadOnlyList<T>> ScanCommittedAfterAsync<T>(long sequence, int pageSize, string table, string countColumn, string select,
        Func<TabSeparatedReader, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var visible = _visible.VisibleFilter(out var last);
        // `commits` says how many rows each write stored, so the scan reads whole commits in chunks of bounded size,
        // each one query sorted by commit sequence (spans and logs are sorted by service and time, not by commit).
        var commits = await _client.QueryAsync(
            $"SELECT seq, {countColumn} FROM commits WHERE state = 1 AND seq > {ClickHouseSql.Literal(sequence)} AND seq <= {ClickHouseSql.Literal(last)} AND {countColumn} > 0 ORDER BY seq",
            row => (Sequence: row.GetUInt64(0), Rows: row.GetUInt32(1)), cancellationToken).ConfigureAwait(false);
        var queries = new List<string>();
        for (var i = 0; i < commits.Count;)
        {
            var first = commits[i].Sequence;
            long rows = 0;
            var end = i;
            while (end < commits.Count && (end == i || rows + commits[end].Rows <= CommittedScanChunk))
                rows += commits[end++].Rows;
            var lastInChunk = commits[end - 1].Sequence;
            queries.Add($"SELECT {select} FROM {table} WHERE commit_seq BETWEEN {ClickHouseSql.Literal(first)} AND {ClickHouseSql.Literal(lastInChunk)} AND {visible} ORDER BY commit_seq");
            i = end;
        }
        await foreach (var page in PagesAsync(StreamAsync(queries, read, cancellationToken), pageSize, cancellationToken).ConfigureAwait(false))
            yield return page;
    }

    public async Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var visible = _visible.VisibleFilter();
        var database = ClickHouseSql.Literal(Database);
        var figures = await _client.QueryAsync(
            $"""
            SELECT (SELECT count() FROM spans WHERE {visible}), (SELECT count() FROM logs WHERE {visible}),
                   (SELECT sum(bytes_on_disk) FROM system.parts WHERE database = {database} AND active)
            """,
            row => new StoreStatistics(row.GetInt64(0), row.GetInt64(1), row.GetInt64(2)), cancellationToken).ConfigureAwait(false);
        return figures[0];
    }

    private Task<IReadOnlyList<SpanRecord>> QuerySpansAsync(string sql, CancellationToken cancellationToken) =>
        _client.QueryAsync(sql, row => SpanRows.ReadSpan(row, _cache), cancellationToken);

    private async IAsyncEnumerable<T> StreamAsync<T>(IReadOnlyList<string> queries, Func<TabSeparatedReader, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var sql in queries)
        {
            await foreach (var record in _client.StreamAsync(sql, read, cancellationToken).ConfigureAwait(false))
                yield return record;
        }
    }

    private static async IAsyncEnumerable<IReadOnlyList<T>> PagesAsync<T>(IAsyncEnumerable<T> records, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = new List<T>(pageSize);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            page.Add(record);
            if (page.Count == pageSize)
            {
                yield return page;
                page = new List<T>(pageSize);
            }
        }
        if (page.Count > 0)
            yield return page;
    }
}
