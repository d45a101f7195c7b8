using Threadline.Storage.DuckDb;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>The embedded DuckDB backend runs the whole conformance suite on a real database file.</summary>
public sealed class DuckDbTelemetryStoreTests : TelemetryStoreConformanceTests
{
    protected override Task<ITelemetryStore> OpenStoreAsync(string dataDirectory) =>
        Task.FromResult<ITelemetryStore>(DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory }));

    /// <summary>Renames the logs table away (on another connection to the same database) until disposed.</summary>
    protected override Task<IAsyncDisposable> BreakLogWritesAsync(string dataDirectory)
    {
        Execute(dataDirectory, "ALTER TABLE logs RENAME TO logs_away");
        return Task.FromResult<IAsyncDisposable>(new Restore(() => Execute(dataDirectory, "ALTER TABLE logs_away RENAME TO logs")));
    }

    private sealed class Restore(Action restore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            restore();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_data_folder_from_another_schema_version_is_refused_with_the_reason()
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
        await DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }).DisposeAsync();
        Execute(folder, "UPDATE threadline_schema SET version = 99");

        var error = Assert.Throws<InvalidOperationException>(() => DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }));

        Assert.Contains("schema version 99", error.Message);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A trace id whose top bit is set: stored as a negative HUGEINT.</summary>
    private static readonly UInt128 HighTraceId = new(0xF123_4567_89AB_CDEF, 0x8000_0000_0000_0002);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_folder_of_an_older_schema_is_upgraded_with_every_row_as_commit_1(int version)
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
        var other = Records.NewTraceId();
        var a = Records.Span(HighTraceId, "a", 1_000, attributes: [new("http.route", "/orders"), new("n", 3L)], status: StatusCode.Error, statusMessage: "boom");
        var b = Records.Span(HighTraceId, "b", 9_000, Records.Notify, parent: a.SpanId);
        var c = Records.Span(other, "c", 5_000);
        var log = Records.Log(HighTraceId, a.SpanId, 1_200, "kept");
        OldSchemaFolder.Create(folder, version, [a, c, b], [log, Records.Log(other, c.SpanId, 5_100, "other")]);

        await using (var upgraded = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }))
        {
            Assert.Equal(1, upgraded.LastCommitSequence);
            var trace = await upgraded.GetTraceAsync(HighTraceId, Ct);
            Assert.Equal(["a", "b"], trace.Select(s => s.Name));
            Assert.All(trace, s => Assert.Equal(HighTraceId, s.TraceId));
            Assert.Equal((a.SpanId, a.EndTimeUnixNano, StatusCode.Error, "boom"), (trace[0].SpanId, trace[0].EndTimeUnixNano, trace[0].StatusCode, trace[0].StatusMessage));
            Assert.Equal(["http.route", "n"], trace[0].Attributes.Select(x => x.Key));
            Assert.Equal((a.SpanId, "notify"), (trace[1].ParentSpanId, trace[1].Service));
            Assert.Equal(["c"], (await upgraded.GetTraceAsync(other, Ct)).Select(s => s.Name));
            var logs = await upgraded.FindLogsAsync(new LogQuery { TraceId = HighTraceId }, Ct);
            Assert.Equal((HighTraceId, a.SpanId, "kept"), (Assert.Single(logs).TraceId, logs[0].SpanId, (string?)logs[0].Body));
            Assert.Equal(["a", "b", "c"], (await ScanAsync(upgraded, 0)).Select(s => s.Name).Order());
            Assert.Empty(await ScanAsync(upgraded, 1));
            Assert.Equal(["kept", "other"], (await ScanLogsAsync(upgraded, 0)).Select(l => (string)l.Body!).Order());

            await upgraded.WriteAsync([new TelemetryBatch([Records.Span(HighTraceId, "d", 10_000)], [])], Ct);
            Assert.Equal(2, upgraded.LastCommitSequence);
            Assert.Equal(["d"], (await ScanAsync(upgraded, 1)).Select(s => s.Name));
            Assert.Equal(["a", "b", "d"], (await upgraded.GetTraceAsync(HighTraceId, Ct)).Select(s => s.Name));
        }
        Assert.Equal(3L, Scalar(folder, "SELECT max(version) FROM threadline_schema"));
        // Upgraded in place (columns added, nothing rewritten): the trace id is still the HUGEINT column main wrote.
        Assert.Equal(2L, Scalar(folder, "SELECT count(*) FROM duckdb_columns() WHERE table_name IN ('spans', 'logs') AND column_name = 'trace_id' AND data_type = 'HUGEINT'"));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_commit_sequence_continues_after_retention_deleted_every_row()
    {
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "a", 100)], [])], Ct);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "b", 150)], [])], Ct);
        var last = Store.LastCommitSequence;

        await ((Retention.IStoreRetention)Store).DeleteBeforeAsync(1_000, Ct);
        await Store.DisposeAsync();
        Store = await OpenStoreAsync(DataDirectory);

        Assert.Equal(last, Store.LastCommitSequence);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "c", 2_000)], [])], Ct);
        Assert.True(Store.LastCommitSequence > last);
    }

    [Fact]
    public async Task The_disk_budget_counts_every_table_of_the_database_file()
    {
        var retention = (Retention.IStoreRetention)Store;
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "a", 100)], [])], Ct);
        Execute(DataDirectory, "CHECKPOINT");
        var before = await retention.GetUsedBytesAsync(Ct);

        // A table of another store in the same file (as derived state keeps), about 10 MB of incompressible text.
        Execute(DataDirectory, "CREATE TABLE other_store AS SELECT md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS text FROM range(150000); CHECKPOINT");

        Assert.True(await retention.GetUsedBytesAsync(Ct) > before + 4_000_000);
    }

    private static async Task<List<SpanRecord>> ScanAsync(ITelemetryStore store, long after)
    {
        var spans = new List<SpanRecord>();
        await foreach (var page in store.ScanSpansCommittedAfterAsync(after, 100, Ct))
            spans.AddRange(page);
        return spans;
    }

    private static async Task<List<LogRecord>> ScanLogsAsync(ITelemetryStore store, long after)
    {
        var logs = new List<LogRecord>();
        await foreach (var page in store.ScanLogsCommittedAfterAsync(after, 100, Ct))
            logs.AddRange(page);
        return logs;
    }

    [Fact]
    public async Task After_retention_a_trace_across_the_cutoff_keeps_its_later_spans_and_an_older_one_is_gone()
    {
        var straddling = Records.NewTraceId();
        var old = Records.NewTraceId();
        await Store.WriteAsync([new TelemetryBatch([Records.Span(straddling, "before", 100), Records.Span(old, "old", 150)], [])], Ct);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(straddling, "after", 300)], [])], Ct);

        await ((Retention.IStoreRetention)Store).DeleteBeforeAsync(200, Ct);

        Assert.Equal(["after"], (await Store.GetTraceAsync(straddling, Ct)).Select(s => s.Name));
        Assert.Empty(await Store.GetTraceAsync(old, Ct));
    }

    [Fact]
    public async Task Retention_reports_what_it_deleted_while_a_derived_store_holds_a_write_transaction_open()
    {
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "old", 100), Records.Span(Records.NewTraceId(), "new", 300)], [])], Ct);
        // A derived store updating rows in a transaction of its own on the same database: DuckDB refuses the
        // checkpoint after the delete until it commits, and the delete, committed, must still be reported.
        using var other = new DuckDB.NET.Data.DuckDBConnection(DuckDbFileFormat.ConnectionString(Path.Combine(DataDirectory, DuckDbStoreOptions.FileName)));
        other.Open();
        using (var create = other.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS derived_probe (n INTEGER); INSERT INTO derived_probe VALUES (1)";
            create.ExecuteNonQuery();
        }
        using var open = other.BeginTransaction();
        using (var update = other.CreateCommand())
        {
            update.CommandText = "UPDATE derived_probe SET n = 2";
            update.ExecuteNonQuery();
        }

        var deleted = await ((Retention.IStoreRetention)Store).DeleteBeforeAsync(200, Ct);

        Assert.Equal(1, deleted.Spans);
        open.Commit();
        Assert.Equal(["new"], (await Store.FindSpansAsync(new SpanQuery(0, 1_000), Ct)).Select(s => s.Name));
        // The refused checkpoint runs at the next pass, although that one has nothing to delete: the log is folded in.
        Assert.True(WalBytes() > 0);
        Assert.Equal(0, (await ((Retention.IStoreRetention)Store).DeleteBeforeAsync(200, Ct)).Total);
        Assert.Equal(0, WalBytes());
    }

    private long WalBytes()
    {
        var wal = new FileInfo(Path.Combine(DataDirectory, DuckDbStoreOptions.FileName + ".wal"));
        return wal.Exists ? wal.Length : 0;
    }

    [Theory]
    [InlineData(null, DuckDbStoreOptions.DefaultThreads)]
    [InlineData(3, 3)]
    public async Task The_store_runs_duckdb_with_the_configured_worker_threads(int? threads, long expected)
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
        var options = threads is { } n ? new DuckDbStoreOptions { DataDirectory = folder, Threads = n } : new DuckDbStoreOptions { DataDirectory = folder };
        await using (var store = DuckDbTelemetryStore.Open(options))
        {
            // Another connection to the open database shares its instance, so it sees the instance's setting.
            Assert.Equal(expected, Scalar(folder, "SELECT current_setting('threads')"));
        }
        Directory.Delete(folder, recursive: true);
    }

    private static void Execute(string folder, string sql)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection(DuckDbFileFormat.ConnectionString(Path.Combine(folder, DuckDbStoreOptions.FileName)));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(string folder, string sql)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection(DuckDbFileFormat.ConnectionString(Path.Combine(folder, DuckDbStoreOptions.FileName)));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
