using System.Diagnostics;
using System.Text.Json;
using DuckDB.NET.Data;
using Threadline.Bench.Measure;
using Threadline.Bench.Workload;
using Threadline.Ingest.Normalize;
using Threadline.Storage.DuckDb;

namespace Threadline.Bench.Floor;

/// <summary>
/// The floor of ingest: this process writes the same rows as the load into the same schema with DuckDB's
/// appender, committing groups of the size the server's group commit sees, and reports only the CPU time of
/// that part (from its own /proc accounting). Run as a child process by the suite.
/// </summary>
internal static class FloorCommand
{
    public const string ResultPrefix = "FLOOR ";

    public static async Task<int> RunAsync(string dataDirectory, WorkloadOptions options, long spans, int recordsPerCommit)
    {
        var spanRows = new List<SpanRow>();
        var logRows = new List<LogRow>();
        OtlpBatcher.Produce(options, spans,
            (request, _) => spanRows.AddRange(OtlpTraceNormalizer.Normalize(request).Select(SpanRow.Of)),
            (request, _) => logRows.AddRange(OtlpLogNormalizer.Normalize(request).Select(LogRow.Of)));

        // The store creates the schema; then the appender writes on a bare connection.
        var storeOptions = new DuckDbStoreOptions { DataDirectory = dataDirectory };
        await (await Task.Run(() => DuckDbTelemetryStore.Open(storeOptions))).DisposeAsync();
        using var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(storeOptions.DatabasePath));
        connection.Open();
        using (var settings = connection.CreateCommand())
        {
            // The same DuckDB settings as the store (checkpoint threshold).
            settings.CommandText = storeOptions.SettingsSql;
            settings.ExecuteNonQuery();
        }

        var pid = Environment.ProcessId;
        var cpuBefore = ProcessAccounting.CpuSeconds(pid);
        var clock = Stopwatch.StartNew();
        var logsPerSpan = spanRows.Count == 0 ? 0 : (double)logRows.Count / spanRows.Count;
        var spanGroup = Math.Max(1, (int)(recordsPerCommit / (1 + logsPerSpan)));
        var logIndex = 0;
        for (var s = 0; s < spanRows.Count; s += spanGroup)
        {
            var spanEnd = Math.Min(spanRows.Count, s + spanGroup);
            var logEnd = spanEnd == spanRows.Count ? logRows.Count : Math.Min(logRows.Count, (int)(spanEnd * logsPerSpan));
            using var transaction = connection.BeginTransaction();
            // The commit sequence, as the store numbers its writes.
            var commit = s / spanGroup + 1;
            AppendSpans(connection, spanRows, s, spanEnd, commit);
            AppendLogs(connection, logRows, logIndex, logEnd, commit);
            transaction.Commit();
            logIndex = logEnd;
        }
        // The rows still in the write-ahead log are compressed into the file at the next checkpoint: count that too.
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "CHECKPOINT";
            checkpoint.ExecuteNonQuery();
        }
        var elapsed = clock.Elapsed;
        var cpu = ProcessAccounting.CpuSeconds(pid) - cpuBefore;
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(new FloorResult(spanRows.Count, logRows.Count, cpu, elapsed.TotalSeconds,
            ProcessAccounting.PeakRssMegabytes(pid))));
        return 0;
    }

    private static void AppendSpans(DuckDBConnection connection, List<SpanRow> rows, int from, int to, long commit)
    {
        using var appender = connection.CreateAppender("spans");
        for (var i = from; i < to; i++)
        {
            var r = rows[i];
            appender.CreateRow().AppendValue(r.TraceId).AppendValue(r.SpanId).AppendValue(r.ParentSpanId).AppendValue(r.Start)
                .AppendValue(r.Duration).AppendValue(r.Name).AppendValue(r.Kind).AppendValue(r.Status).AppendValue(r.StatusMessage)
                .AppendValue(r.Service).AppendValue(r.ResourceId).AppendValue(r.ScopeId).AppendValue(r.TraceState).AppendValue(r.Flags)
                .AppendValue(r.Attributes).AppendValue(r.Events).AppendValue(r.Links).AppendValue(r.DroppedAttributes)
                .AppendValue(r.DroppedEvents).AppendValue(r.DroppedLinks).AppendValue(commit).EndRow();
        }
    }

    private static void AppendLogs(DuckDBConnection connection, List<LogRow> rows, int from, int to, long commit)
    {
        if (from >= to)
            return;
        using var appender = connection.CreateAppender("logs");
        for (var i = from; i < to; i++)
        {
            var r = rows[i];
            appender.CreateRow().AppendValue(r.Time).AppendValue(r.ObservedTime).AppendValue(r.TraceId).AppendValue(r.SpanId)
                .AppendValue(r.Flags).AppendValue(r.Severity).AppendValue(r.SeverityText).AppendValue(r.EventName).AppendValue(r.Body)
                .AppendValue(r.Attributes).AppendValue(r.Service).AppendValue(r.ResourceId).AppendValue(r.ScopeId)
                .AppendValue(r.DroppedAttributes).AppendValue(commit).EndRow();
        }
    }
}

internal sealed record FloorResult(long Spans, long Logs, double CpuSeconds, double Seconds, double PeakRssMegabytes);
