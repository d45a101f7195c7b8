using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DuckDB.NET.Data;
using Threadline.Storage.DuckDb.Read;
using Threadline.Storage.DuckDb.Sql;
using Threadline.Storage.DuckDb.Write;
using Threadline.Telemetry;

namespace Threadline.Storage.DuckDb;

/// <summary>The reads derived state needs: spans and logs by commit sequence past a watermark, and many traces at once.</summary>
public sealed partial class DuckDbTelemetryStore
{
    /// <summary>
    /// How many rows one range query of a commit scan covers at most (unless one commit alone is larger). Ordering a
    /// range by commit sorts it, so ranges stay small; a single commit is read in storage order, unsorted, however big
    /// (a folder upgraded from schema 2 holds everything as commit 1).
    /// </summary>
    private const long ScanRangeRows = 64 * 1024;

    /// <summary>Traces per query of <see cref="GetTracesAsync"/>, so the SQL text stays modest.</summary>
    private const int TracesPerQuery = 256;

    public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        ScanCommittedAfterAsync(sequence, pageSize, SqlText.SpanCommitsAfter, SqlText.SpansCommittedBetween, RowReader.ReadSpan, cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<LogRecord>> ScanLogsCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        ScanCommittedAfterAsync(sequence, pageSize, SqlText.LogCommitsAfter, SqlText.LogsCommittedBetween, RowReader.ReadLog, cancellationToken);

    /// <summary>The rows of the commits past <paramref name="sequence"/>: <paramref name="commitsSql"/> counts them per
    /// commit, <paramref name="rowsSql"/> reads a range of commits.</summary>
    private async IAsyncEnumerable<IReadOnlyList<T>> ScanCommittedAfterAsync<T>(long sequence, int pageSize, string commitsSql, string rowsSql,
        Func<DbDataReader, ResourceScopeCache, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var through = LastCommitSequence;
        if (through <= sequence)
            yield break;
        var commits = await QueryAsync(commitsSql,
            [new DuckDBParameter("after", sequence), new DuckDBParameter("through", through)],
            (row, _) => (Sequence: row.GetInt64(0), Rows: row.GetInt64(1)), cancellationToken).ConfigureAwait(false);

        var page = new List<T>(pageSize);
        foreach (var (first, last) in CommitRanges(commits))
        {
            var sql = first == last ? rowsSql : rowsSql + "ORDER BY commit_seq\n";
            var connection = RentReader();
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.Add(new DuckDBParameter("first", first));
                command.Parameters.Add(new DuckDBParameter("last", last));
                using var row = await Task.Run(() => command.ExecuteReader(), cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    var room = pageSize - page.Count;
                    var count = await Task.Run(() => ReadRows(row, read, page, room, cancellationToken), cancellationToken).ConfigureAwait(false);
                    if (page.Count == pageSize)
                    {
                        yield return page;
                        page = new List<T>(pageSize);
                    }
                    if (count < room)
                        break;
                }
            }
            finally
            {
                _readers.Add(connection);
            }
        }
        if (page.Count > 0)
            yield return page;
    }

    private static IEnumerable<(long First, long Last)> CommitRanges(IReadOnlyList<(long Sequence, long Rows)> commits)
    {
        var index = 0;
        while (index < commits.Count)
        {
            var first = commits[index].Sequence;
            var rows = commits[index].Rows;
            index++;
            while (index < commits.Count && rows + commits[index].Rows <= ScanRangeRows)
            {
                rows += commits[index].Rows;
                index++;
            }
            yield return (first, commits[index - 1].Sequence);
        }
    }

    private int ReadRows<T>(DbDataReader row, Func<DbDataReader, ResourceScopeCache, T> read, List<T> into, int most, CancellationToken cancellationToken)
    {
        var count = 0;
        while (count < most && row.Read())
        {
            into.Add(read(row, _cache));
            count++;
            if ((count & 1023) == 0)
                cancellationToken.ThrowIfCancellationRequested();
        }
        return count;
    }

    public async Task<IReadOnlyDictionary<UInt128, IReadOnlyList<SpanRecord>>> GetTracesAsync(
        IReadOnlyCollection<UInt128> traceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traceIds);
        var traces = new Dictionary<UInt128, IReadOnlyList<SpanRecord>>();
        foreach (var chunk in traceIds.Distinct().Chunk(TracesPerQuery))
        {
            var keys = string.Join(", ", chunk.Select(id => RowAppender.TraceKey(id).ToString(CultureInfo.InvariantCulture)).Distinct());
            var ranges = await QueryAsync(SqlText.TraceRanges.Replace("{trace_keys}", keys, StringComparison.Ordinal), [],
                (row, _) => (Key: row.GetFieldValue<ulong>(0), Min: row.GetInt64(1), Max: row.GetInt64(2)), cancellationToken).ConfigureAwait(false);
            if (ranges.Count == 0)
                continue;
            var known = ranges.Select(r => r.Key).ToHashSet();
            var ids = chunk.Where(id => known.Contains(RowAppender.TraceKey(id))).ToList();
            // Numbers the store formatted itself (ids given as UInt128, ranges it read), so writing them in is safe.
            var sql = SqlText.GetTraces
                .Replace("{trace_ids}", string.Join(", ", ids.Select(TraceIdLiteral)), StringComparison.Ordinal)
                .Replace("{ranges}", RangesCondition(ranges.Select(r => (r.Min, r.Max))), StringComparison.Ordinal);
            var spans = await QueryAsync(sql, [], RowReader.ReadSpan, cancellationToken).ConfigureAwait(false);
            foreach (var group in spans.GroupBy(s => s.TraceId))
                traces[group.Key] = group.ToList();
        }
        return traces;
    }

    /// <summary>The column is one of the traces (all when the list is null, none when it is empty), as SQL with the ids
    /// written in (numbers formatted from UInt128 values, so writing them in is safe).</summary>
    private static string TraceIdsCondition(string column, IReadOnlyCollection<UInt128>? traceIds) => traceIds switch
    {
        null => "TRUE",
        { Count: 0 } => "FALSE",
        _ => $"{column} IN ({string.Join(", ", traceIds.Distinct().Select(TraceIdLiteral))})",
    };

    private static string TraceIdLiteral(UInt128 traceId) =>
        RowAppender.ToHugeInt(traceId).ToString(CultureInfo.InvariantCulture) + "::HUGEINT";

    /// <summary>
    /// The spans' start within any of the ranges, overlapping ones merged, as SQL. DuckDB skips row groups by their zone
    /// maps only for a filter it can push into the scan, which a disjunction is not: alone, the ranges of a page's traces
    /// (often over a hundred) made every such read a scan of the whole table (425 ms for 256 traces at 1M spans, growing
    /// with the store). The enclosing range in front of them is pushed down, so only the row groups it covers are read
    /// (35 ms).
    /// </summary>
    private static string RangesCondition(IEnumerable<(long Min, long Max)> ranges)
    {
        var merged = new List<(long Min, long Max)>();
        foreach (var range in ranges.OrderBy(r => r.Min))
        {
            if (merged.Count > 0 && range.Min <= merged[^1].Max)
                merged[^1] = (merged[^1].Min, Math.Max(merged[^1].Max, range.Max));
            else
                merged.Add(range);
        }
        var sql = new StringBuilder();
        foreach (var (min, max) in merged)
        {
            if (sql.Length > 0)
                sql.Append(" OR ");
            sql.Append(CultureInfo.InvariantCulture, $"s.start_time_unix_nano BETWEEN {min} AND {max}");
        }
        if (merged.Count == 1)
            return sql.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"s.start_time_unix_nano BETWEEN {merged[0].Min} AND {merged.Max(r => r.Max)} AND ({sql})");
    }
}
