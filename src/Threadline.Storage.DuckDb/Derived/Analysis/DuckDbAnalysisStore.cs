using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.DuckDb.Derived.Analysis;

/// <summary>
/// The analysis' derived state in the embedded database file (tables in <c>Sql/analysis_schema.sql</c>). One writer
/// connection, serialized by its own lock; readers take a connection of their own from a small pool, so a read never
/// waits for a derivation or a group commit of spans (DuckDB.NET shares the database instance between connections to
/// the same file). DuckDB's client API is synchronous: every call completes before its task is returned.
/// </summary>
public sealed class DuckDbAnalysisStore : IAnalysisStore
{
    private readonly string _connectionString;
    private readonly DuckDBConnection _writer;
    private readonly Lock _writeGate = new();
    private readonly ConcurrentBag<DuckDBConnection> _readers = [];
    private bool _disposed;

    private DuckDbAnalysisStore(string connectionString, DuckDBConnection writer) => (_connectionString, _writer) = (connectionString, writer);

    /// <summary>Opens (creating if needed) the analysis tables in the data folder's database file.</summary>
    public static DuckDbAnalysisStore Open(DuckDbStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var connectionString = DuckDbFileFormat.ConnectionString(options.DatabasePath);
        var writer = new DuckDBConnection(connectionString);
        try
        {
            writer.Open();
            Execute(writer, AnalysisSql.Schema);
            return new DuckDbAnalysisStore(connectionString, writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    public Task WriteAsync(AnalysisDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            Execute(_writer, AnalysisSql.Staging);
            var traces = delta.Traces.Concat(delta.Rows.Select(r => r.TraceId)).ToHashSet();
            using (var appender = _writer.CreateAppender("analysis_touched_traces"))
            {
                foreach (var trace in traces)
                    appender.CreateRow().AppendValue(High(trace)).AppendValue(Low(trace)).EndRow();
            }
            using (var appender = _writer.CreateAppender("analysis_touched_minutes"))
            {
                foreach (var (function, minute) in delta.Rows.Select(r => (r.Function, MinuteOf(r.StartTimeUnixNano))).Distinct())
                    appender.CreateRow().AppendValue(function).AppendValue(minute).EndRow();
            }
            // The promise covers the stored rows; the new rows and their minutes are bounded by their own starts.
            var earliest = Math.Min(delta.EarliestStartUnixNano, delta.Rows.Count == 0 ? long.MaxValue : delta.Rows.Min(r => r.StartTimeUnixNano));
            Execute(_writer, AnalysisSql.Replace.Replace("{earliest}", Literal(delta.EarliestStartUnixNano), StringComparison.Ordinal));
            AppendRows(delta.Rows);
            Execute(_writer, Rollup(earliest));
            Execute(_writer, "DELETE FROM analysis_watermark WHERE watermark < " + delta.Watermark.ToString(CultureInfo.InvariantCulture) + ";"
                + "INSERT INTO analysis_watermark SELECT " + delta.Watermark.ToString(CultureInfo.InvariantCulture)
                + " WHERE NOT EXISTS (SELECT 1 FROM analysis_watermark);");
            transaction.Commit();
        }
        return Task.CompletedTask;
    }

    private void AppendRows(IReadOnlyList<AnalyzedInvocationRow> rows)
    {
        using (var appender = _writer.CreateAppender("analysis_invocations"))
        {
            foreach (var r in rows)
            {
                appender.CreateRow()
                    .AppendValue(High(r.TraceId)).AppendValue(Low(r.TraceId)).AppendValue(r.SpanId)
                    .AppendValue(r.Function).AppendValue(r.IsLambda).AppendValue(r.Version).AppendValue(r.CodeHash).AppendValue(r.Release)
                    .AppendValue(r.StartTimeUnixNano).AppendValue(r.EndTimeUnixNano).AppendValue(MinuteOf(r.StartTimeUnixNano))
                    .AppendValue(DurationHistogram.BucketOf(r.EndTimeUnixNano - r.StartTimeUnixNano))
                    .AppendValue(r.Failed).AppendValue(r.Failure?.IssueId).AppendValue(r.Failure is null ? null : AnalysisJson.Write(r.Failure))
                    .AppendValue(AnalysisJson.Write(r.Records)).AppendValue(AnalysisJson.Write(r.RecordOfSpan))
                    .AppendValue(AnalysisJson.Write(r.SkippedRanges)).AppendValue(AnalysisJson.Write(r.DroppedKeys))
                    .AppendValue(r.ColdStart).AppendValue(r.TriggerKind).AppendValue(r.TriggerResource).AppendValue(r.User).AppendValue(r.VipMarker)
                    .AppendValue(decimal.Round(r.CostUsd, AnalyzedInvocationRow.CostScale)).AppendValue(r.GbSeconds)
                    .EndRow();
            }
        }
        using (var appender = _writer.CreateAppender("analysis_record_keys"))
        {
            foreach (var r in rows)
            {
                foreach (var key in r.RecordKeys)
                    appender.CreateRow().AppendValue(key).AppendValue(High(r.TraceId)).AppendValue(Low(r.TraceId)).AppendValue(r.SpanId).AppendValue(r.StartTimeUnixNano).EndRow();
            }
        }
        using (var appender = _writer.CreateAppender("analysis_skipped_shards"))
        {
            foreach (var r in rows)
            {
                foreach (var shard in r.SkippedShards)
                    appender.CreateRow().AppendValue(shard).AppendValue(High(r.TraceId)).AppendValue(Low(r.TraceId)).AppendValue(r.SpanId).AppendValue(r.StartTimeUnixNano).EndRow();
            }
        }
    }

    public Task<long> GetWatermarkAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT coalesce(max(watermark), 0) FROM analysis_watermark";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }));

    public Task<IReadOnlyList<AnalyzedInvocationRow>> GetInvocationsAsync(IReadOnlyCollection<InvocationKey> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            return Task.FromResult<IReadOnlyList<AnalyzedInvocationRow>>([]);
        // A filter on the span id column alone is pushed into the scan (only matching rows are read whole); a row-value
        // IN was evaluated after reading every column of every row. The trace is matched here. Ids are numbers,
        // written as literals (DuckDB prunes better on literals than on bound parameters).
        var wanted = ids.ToHashSet();
        var rows = new List<AnalyzedInvocationRow>();
        foreach (var chunk in wanted.Select(id => id.SpanId).Distinct().Chunk(512))
        {
            var list = string.Join(",", chunk.Select(span => span.ToString(CultureInfo.InvariantCulture)));
            rows.AddRange(Rows($"{AnalysisSql.Columns} FROM analysis_invocations i WHERE i.span_id IN ({list})", []).Result
                .Where(r => wanted.Contains(new InvocationKey(r.TraceId, r.SpanId))));
        }
        return Task.FromResult<IReadOnlyList<AnalyzedInvocationRow>>(
            [.. rows.OrderBy(r => r.StartTimeUnixNano).ThenBy(r => r.TraceId).ThenBy(r => r.SpanId)]);
    }

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListByFunctionAsync(string function, TimeRange range, int limit, CancellationToken cancellationToken) =>
        Rows($"{AnalysisSql.Columns} FROM analysis_invocations i WHERE i.function = $function AND {InRange(range)} "
            + $"ORDER BY i.start_time_unix_nano, i.trace_hi, i.trace_lo, i.span_id LIMIT {Limit(limit)}", [new("function", function)]);

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListLatestByFunctionAsync(string function, TimeRange range, bool failedOnly, int limit, CancellationToken cancellationToken) =>
        Rows($"{AnalysisSql.Columns} FROM analysis_invocations i WHERE i.function = $function AND {InRange(range)} {(failedOnly ? "AND i.failed" : "")} "
            + $"ORDER BY i.start_time_unix_nano DESC, i.trace_hi DESC, i.trace_lo DESC, i.span_id DESC LIMIT {Limit(limit)}", [new("function", function)]);

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListByIssueAsync(string issueId, TimeRange range, int limit, CancellationToken cancellationToken) =>
        Rows($"{AnalysisSql.Columns} FROM analysis_invocations i WHERE i.issue_id = $issue AND {InRange(range)} "
            + $"ORDER BY i.start_time_unix_nano, i.trace_hi, i.trace_lo, i.span_id LIMIT {Limit(limit)}", [new("issue", issueId)]);

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListByRecordKeyAsync(string key, int limit, CancellationToken cancellationToken) =>
        Rows($"{AnalysisSql.Columns} FROM analysis_invocations i SEMI JOIN (SELECT trace_hi, trace_lo, span_id FROM analysis_record_keys WHERE key = $key) k "
            + "ON i.trace_hi = k.trace_hi AND i.trace_lo = k.trace_lo AND i.span_id = k.span_id "
            + $"ORDER BY i.start_time_unix_nano, i.trace_hi, i.trace_lo, i.span_id LIMIT {Limit(limit)}", [new("key", key)]);

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListBySkippedShardAsync(string shard, int limit, CancellationToken cancellationToken) =>
        Rows($"{AnalysisSql.Columns} FROM analysis_invocations i SEMI JOIN (SELECT trace_hi, trace_lo, span_id FROM analysis_skipped_shards WHERE shard = $shard) k "
            + "ON i.trace_hi = k.trace_hi AND i.trace_lo = k.trace_lo AND i.span_id = k.span_id "
            + $"ORDER BY i.start_time_unix_nano, i.trace_hi, i.trace_lo, i.span_id LIMIT {Limit(limit)}", [new("shard", shard)]);

    public Task<IReadOnlyList<IssueGroup>> ListIssuesAsync(TimeRange range, string? function, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyList<IssueGroup>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = AnalysisSql.Issues;
            command.Parameters.Add(new DuckDBParameter("from", range.FromUnixNano));
            command.Parameters.Add(new DuckDBParameter("to", range.ToUnixNano));
            command.Parameters.Add(new DuckDBParameter("function", (object?)function ?? DBNull.Value));
            command.Parameters.Add(new DuckDBParameter("limit", (long)Limit(limit)));
            using var row = command.ExecuteReader();
            var groups = new List<IssueGroup>();
            while (row.Read())
            {
                groups.Add(new IssueGroup(row.GetString(0), row.GetString(1), AnalysisJson.ReadFailure(row.GetString(2))!, row.GetInt64(3), row.GetInt64(4),
                    row.GetInt64(5), row.GetInt64(6)));
            }
            return groups;
        }));

    public Task<IReadOnlyDictionary<string, IssueSpan>> GetIssueSpansAsync(IReadOnlyCollection<string> issueIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issueIds);
        if (issueIds.Count == 0)
            return Task.FromResult<IReadOnlyDictionary<string, IssueSpan>>(new Dictionary<string, IssueSpan>());
        return Task.FromResult(Read<IReadOnlyDictionary<string, IssueSpan>>(connection =>
        {
            using var command = connection.CreateCommand();
            var names = new StringBuilder();
            var i = 0;
            foreach (var id in issueIds.Distinct(StringComparer.Ordinal))
            {
                names.Append(i == 0 ? "" : ",").Append("$i").Append(i);
                command.Parameters.Add(new DuckDBParameter("i" + i.ToString(CultureInfo.InvariantCulture), id));
                i++;
            }
            command.CommandText = "SELECT issue_id, arg_min(function, start_time_unix_nano), arg_min(failure, start_time_unix_nano), min(start_time_unix_nano), max(start_time_unix_nano), count(*), "
                + $"count(*) FILTER (WHERE cold_start) FROM analysis_invocations WHERE issue_id IN ({names}) GROUP BY issue_id";
            using var row = command.ExecuteReader();
            var spans = new Dictionary<string, IssueSpan>(StringComparer.Ordinal);
            while (row.Read())
                spans[row.GetString(0)] = new IssueSpan(row.GetString(0), row.GetString(1), AnalysisJson.ReadFailure(row.GetString(2))!, row.GetInt64(3), row.GetInt64(4),
                    row.GetInt64(5), row.GetInt64(6));
            return spans;
        }));
    }

    public Task<long?> GetFirstOccurrenceAfterAsync(string issueId, long afterUnixNano, CancellationToken cancellationToken) =>
        Task.FromResult(Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT min(start_time_unix_nano) FROM analysis_invocations WHERE issue_id = $issue AND start_time_unix_nano > $after";
            command.Parameters.Add(new DuckDBParameter("issue", issueId));
            command.Parameters.Add(new DuckDBParameter("after", afterUnixNano));
            return command.ExecuteScalar() is long value ? value : (long?)null;
        }));

    public Task<IReadOnlyList<string>> ListFunctionsAsync(TimeRange range, CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyList<string>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT DISTINCT function FROM analysis_function_minutes m WHERE {MinuteRange(range)}";
            using var row = command.ExecuteReader();
            var functions = new List<string>();
            while (row.Read())
                functions.Add(row.GetString(0));
            functions.Sort(StringComparer.Ordinal);
            return functions;
        }));

    public Task<IReadOnlyList<FunctionMinuteRow>> ListFunctionMinutesAsync(string? function, TimeRange range, CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyList<FunctionMinuteRow>>(connection =>
        {
            var buckets = new Dictionary<(string, string?, long), Dictionary<int, long>>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT function, release, minute_unix_nano, bucket, count FROM analysis_function_minute_durations m WHERE {MinuteRange(range)} "
                    + "AND ($function IS NULL OR function = $function)";
                command.Parameters.Add(new DuckDBParameter("function", (object?)function ?? DBNull.Value));
                using var row = command.ExecuteReader();
                while (row.Read())
                {
                    var key = (row.GetString(0), row.IsDBNull(1) ? null : row.GetString(1), row.GetInt64(2));
                    if (!buckets.TryGetValue(key, out var counts))
                        buckets[key] = counts = [];
                    counts[row.GetInt32(3)] = row.GetInt64(4);
                }
            }
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT function, release, minute_unix_nano, invocations, errors, cold_starts, gb_seconds, cost_usd, first_start_unix_nano "
                    + $"FROM analysis_function_minutes m WHERE {MinuteRange(range)} AND ($function IS NULL OR function = $function) "
                    + "ORDER BY function, minute_unix_nano, release NULLS FIRST";
                command.Parameters.Add(new DuckDBParameter("function", (object?)function ?? DBNull.Value));
                using var row = command.ExecuteReader();
                var minutes = new List<FunctionMinuteRow>();
                while (row.Read())
                {
                    var key = (row.GetString(0), row.IsDBNull(1) ? null : row.GetString(1), row.GetInt64(2));
                    minutes.Add(new FunctionMinuteRow(key.Item1, key.Item2, key.Item3, row.GetInt64(3), row.GetInt64(4), row.GetInt64(5), row.GetDouble(6),
                        Cost(row, 7), row.GetInt64(8), buckets.GetValueOrDefault(key) ?? []));
                }
                return minutes;
            }
        }));

    public Task<IReadOnlyList<FunctionFigures>> GetFunctionFiguresAsync(string? function, TimeRange range, CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyList<FunctionFigures>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = AnalysisSql.FunctionFigures;
            command.Parameters.Add(new DuckDBParameter("from", range.FromUnixNano));
            command.Parameters.Add(new DuckDBParameter("to", range.ToUnixNano));
            command.Parameters.Add(new DuckDBParameter("function", (object?)function ?? DBNull.Value));
            using var row = command.ExecuteReader();
            var figures = new List<FunctionFigures>();
            while (row.Read())
            {
                figures.Add(new FunctionFigures(row.GetString(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), Cost(row, 4),
                    Ms(row.GetInt64(5)), Ms(row.GetInt64(6)), Ms(row.GetInt64(7))));
            }
            figures.Sort((a, b) => string.CompareOrdinal(a.Function, b.Function));
            return figures;
        }));

    public Task<IReadOnlyList<ReleaseRun>> ListReleaseRunsAsync(string? function, TimeRange range, CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyList<ReleaseRun>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = AnalysisSql.ReleaseRuns.Replace("{range}", InRange(range), StringComparison.Ordinal);
            command.Parameters.Add(new DuckDBParameter("function", (object?)function ?? DBNull.Value));
            using var row = command.ExecuteReader();
            var runs = new List<ReleaseRun>();
            while (row.Read())
                runs.Add(new ReleaseRun(row.GetString(0), row.GetString(1), row.GetInt64(2), row.GetInt64(3)));
            return runs;
        }));

    public Task<IReadOnlyDictionary<string, long>> GetFunctionFirstStartsAsync(IReadOnlyCollection<string>? functions, CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyDictionary<string, long>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT function, min(first_start_unix_nano) FROM analysis_function_minutes GROUP BY function";
            using var row = command.ExecuteReader();
            var firsts = new Dictionary<string, long>(StringComparer.Ordinal);
            while (row.Read())
            {
                if (functions is null || functions.Contains(row.GetString(0)))
                    firsts[row.GetString(0)] = row.GetInt64(1);
            }
            return firsts;
        }));

    public Task<IReadOnlyDictionary<string, long>> GetResolutionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyDictionary<string, long>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT issue_id, resolved_at_unix_nano FROM analysis_resolutions";
            using var row = command.ExecuteReader();
            var resolutions = new Dictionary<string, long>(StringComparer.Ordinal);
            while (row.Read())
                resolutions[row.GetString(0)] = row.GetInt64(1);
            return resolutions;
        }));

    public Task SetResolutionAsync(string issueId, long resolvedAtUnixNano, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issueId);
        return WriteOne("INSERT OR REPLACE INTO analysis_resolutions VALUES ($issue, $time)",
            [new DuckDBParameter("issue", issueId), new DuckDBParameter("time", resolvedAtUnixNano)]);
    }

    public Task<IReadOnlyList<RecordedDeployment>> ListRecordedDeploymentsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Read<IReadOnlyList<RecordedDeployment>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT function, version, time_unix_nano FROM analysis_recorded_deployments ORDER BY time_unix_nano, function, version";
            using var row = command.ExecuteReader();
            var deployments = new List<RecordedDeployment>();
            while (row.Read())
                deployments.Add(new RecordedDeployment(row.GetString(0), row.GetString(1), row.GetInt64(2)));
            return deployments;
        }));

    public Task RecordDeploymentAsync(RecordedDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return WriteOne("INSERT OR REPLACE INTO analysis_recorded_deployments VALUES ($function, $version, $time)",
            [new DuckDBParameter("function", deployment.Function), new DuckDBParameter("version", deployment.Version),
                new DuckDBParameter("time", deployment.TimeUnixNano)]);
    }

    private Task WriteOne(string sql, IReadOnlyList<DuckDBParameter> parameters)
    {
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _writer.CreateCommand();
            command.CommandText = sql;
            foreach (var parameter in parameters)
                command.Parameters.Add(parameter);
            command.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    public Task<long> DeleteStartedBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
    {
        lock (_writeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            var cutoff = cutoffUnixNano.ToString(CultureInfo.InvariantCulture);
            long deleted;
            using (var command = _writer.CreateCommand())
            {
                command.CommandText = $"DELETE FROM analysis_invocations WHERE start_time_unix_nano < {cutoff}";
                deleted = command.ExecuteNonQuery();
            }
            // A minute that straddles the cutoff is summed again from what is left of it.
            var cutMinute = MinuteOf(cutoffUnixNano).ToString(CultureInfo.InvariantCulture);
            Execute(_writer, AnalysisSql.Staging);
            Execute(_writer, $"INSERT INTO analysis_touched_minutes SELECT DISTINCT function, minute_unix_nano FROM analysis_function_minutes WHERE minute_unix_nano = {cutMinute};"
                + $"DELETE FROM analysis_record_keys WHERE start_time_unix_nano < {cutoff};"
                + $"DELETE FROM analysis_skipped_shards WHERE start_time_unix_nano < {cutoff};"
                + $"DELETE FROM analysis_function_minutes WHERE minute_unix_nano < {cutMinute};"
                + $"DELETE FROM analysis_function_minute_durations WHERE minute_unix_nano < {cutMinute};");
            Execute(_writer, Rollup(cutoffUnixNano));
            transaction.Commit();
            return Task.FromResult(deleted);
        }
    }

    private Task<IReadOnlyList<AnalyzedInvocationRow>> Rows(string sql, IReadOnlyList<DuckDBParameter> parameters) =>
        Task.FromResult(Read<IReadOnlyList<AnalyzedInvocationRow>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var parameter in parameters)
                command.Parameters.Add(parameter);
            using var row = command.ExecuteReader();
            var rows = new List<AnalyzedInvocationRow>();
            while (row.Read())
                rows.Add(RowOf(row));
            return rows;
        }));

    private static AnalyzedInvocationRow RowOf(DbDataReader row) => new()
    {
        TraceId = ((UInt128)row.GetFieldValue<ulong>(0) << 64) | row.GetFieldValue<ulong>(1),
        SpanId = row.GetFieldValue<ulong>(2),
        Function = row.GetString(3),
        IsLambda = row.GetBoolean(4),
        Version = Text(row, 5),
        CodeHash = Text(row, 6),
        Release = Text(row, 7),
        StartTimeUnixNano = row.GetInt64(8),
        EndTimeUnixNano = row.GetInt64(9),
        Failed = row.GetBoolean(10),
        Failure = AnalysisJson.ReadFailure(Text(row, 11)),
        Records = AnalysisJson.Read<List<RecordDeliveryRow>>(row.GetString(12)),
        RecordOfSpan = AnalysisJson.Read<List<SpanRecordKey>>(row.GetString(13)),
        SkippedRanges = AnalysisJson.Read<List<SkippedRangeRow>>(row.GetString(14)),
        DroppedKeys = AnalysisJson.Read<List<string>>(row.GetString(15)),
        ColdStart = row.GetBoolean(16),
        TriggerKind = Text(row, 17),
        TriggerResource = Text(row, 18),
        User = Text(row, 19),
        VipMarker = row.GetBoolean(20),
        CostUsd = Cost(row, 21),
        GbSeconds = row.GetDouble(22),
    };

    /// <summary>A stored cost without the trailing zeros of its DECIMAL(38, 24) column (0.5, not 0.500000000000000000000000).</summary>
    private static decimal Cost(DbDataReader row, int ordinal) => row.GetDecimal(ordinal) / 1.000000000000000000000000000000000m;

    private static string? Text(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static double Ms(long nanos) => Math.Round(nanos / 1e6, 3);

    private static string InRange(TimeRange range) =>
        $"i.start_time_unix_nano >= {range.FromUnixNano.ToString(CultureInfo.InvariantCulture)} AND i.start_time_unix_nano < {range.ToUnixNano.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Minutes that start in the range, widened to the minute holding its start (a minute is kept whole).</summary>
    private static string MinuteRange(TimeRange range) =>
        $"m.minute_unix_nano >= {MinuteOf(range.FromUnixNano).ToString(CultureInfo.InvariantCulture)} AND m.minute_unix_nano < {range.ToUnixNano.ToString(CultureInfo.InvariantCulture)}";

    private static string Rollup(long earliestUnixNano) =>
        AnalysisSql.Rollup.Replace("{earliest_minute}", Literal(MinuteOf(earliestUnixNano)), StringComparison.Ordinal);

    private static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Limit(int limit) => Math.Max(0, limit);

    public static long MinuteOf(long unixNano) => unixNano == long.MinValue ? long.MinValue : unixNano - (((unixNano % MinuteNanos) + MinuteNanos) % MinuteNanos);

    private const long MinuteNanos = 60_000_000_000;

    private static ulong High(UInt128 id) => (ulong)(id >> 64);

    private static ulong Low(UInt128 id) => (ulong)id;

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a read on a pooled reader connection of its own.</summary>
    private T Read<T>(Func<DuckDBConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var connection))
        {
            connection = new DuckDBConnection(_connectionString);
            connection.Open();
        }
        try
        {
            return read(connection);
        }
        finally
        {
            if (_disposed)
                connection.Dispose();
            else
                _readers.Add(connection);
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_writeGate)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
            _writer.Dispose();
            while (_readers.TryTake(out var reader))
                reader.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
