using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using Threadline.Storage.DuckDb.Read;
using Threadline.Storage.DuckDb.Sql;
using Threadline.Storage.DuckDb.Write;
using Threadline.Telemetry;

namespace Threadline.Storage.DuckDb;

public sealed partial class DuckDbTelemetryStore
{
    public async Task<IReadOnlyList<SpanRecord>> GetTraceAsync(UInt128 traceId, CancellationToken cancellationToken)
    {
        var id = RowAppender.ToHugeInt(traceId);
        var ranges = await QueryAsync(SqlText.TraceRange, [new DuckDBParameter("trace_key", RowAppender.TraceKey(traceId))],
            (row, _) => row.IsDBNull(0) ? ((long, long)?)null : (row.GetInt64(0), row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        if (ranges[0] is not { } range)
            return [];
        var (minStart, maxStart) = range;
        // Two integers the store itself read, so writing them into the SQL is safe (see get_trace.sql for why).
        var sql = SqlText.GetTrace
            .Replace("{min_start}", minStart.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{max_start}", maxStart.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return await QueryAsync(sql, [new DuckDBParameter("trace_id", id)], RowReader.ReadSpan, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<SpanRecord>> FindSpansAsync(SpanQuery query, CancellationToken cancellationToken) =>
        QueryAsync(SqlText.FindSpans,
            [
                new DuckDBParameter("from", query.FromUnixNano),
                new DuckDBParameter("to", query.ToUnixNano),
                new DuckDBParameter("service", (object?)query.Service ?? DBNull.Value),
                new DuckDBParameter("limit", Math.Max(0, query.Limit)),
            ],
            RowReader.ReadSpan, cancellationToken);

    public Task<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken) =>
        QueryAsync(SqlText.FindLogs.Replace("{trace_ids}", TraceIdsCondition("l.trace_id", query.TraceIds), StringComparison.Ordinal),
            [
                new DuckDBParameter("from", query.FromUnixNano),
                new DuckDBParameter("to", query.ToUnixNano),
                new DuckDBParameter("trace_id", query.TraceId is { } traceId ? RowAppender.ToHugeInt(traceId) : DBNull.Value),
                new DuckDBParameter("span_id", query.SpanId is { } spanId ? spanId : DBNull.Value),
                new DuckDBParameter("limit", Math.Max(0, query.Limit)),
            ],
            RowReader.ReadLog, cancellationToken);

    public async IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansAsync(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var connection = RentReader();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqlText.ScanSpans;
            using var row = await Task.Run(() => command.ExecuteReader(), cancellationToken).ConfigureAwait(false);
            var page = new List<SpanRecord>(pageSize);
            while (await Task.Run(row.Read, cancellationToken).ConfigureAwait(false))
            {
                page.Add(RowReader.ReadSpan(row, _cache));
                if (page.Count == pageSize)
                {
                    yield return page;
                    page = new List<SpanRecord>(pageSize);
                }
            }
            if (page.Count > 0)
                yield return page;
        }
        finally
        {
            _readers.Add(connection);
        }
    }

    public async Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        var counts = await QueryAsync(
            "SELECT (SELECT count(*) FROM spans), (SELECT count(*) FROM logs)", [],
            (row, _) => (Spans: row.GetInt64(0), Logs: row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        var bytes = FileSize(_databasePath) + FileSize(_databasePath + ".wal");
        return new StoreStatistics(counts[0].Spans, counts[0].Logs, bytes);
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, DuckDBParameter[] parameters, Func<DbDataReader, ResourceScopeCache, T> map, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // DuckDB's client API is synchronous; run it off the request thread.
        return await Task.Run(() =>
        {
            var connection = RentReader();
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var parameter in parameters)
                    command.Parameters.Add(parameter);
                using var row = command.ExecuteReader();
                var results = new List<T>();
                while (row.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    results.Add(map(row, _cache));
                }
                return (IReadOnlyList<T>)results;
            }
            finally
            {
                _readers.Add(connection);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private DuckDBConnection RentReader()
    {
        if (_readers.TryTake(out var connection))
            return connection;
        // DuckDB.NET shares one database instance among the connections a process opens to the same file.
        var reader = new DuckDBConnection(_writer.ConnectionString);
        reader.Open();
        return reader;
    }
}
