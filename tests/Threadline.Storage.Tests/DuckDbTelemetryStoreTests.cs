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

    [Fact]
    public async Task A_folder_of_schema_version_1_is_upgraded_and_its_traces_are_found_by_id()
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
        var traceId = Records.NewTraceId();
        await using (var store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }))
        {
            await store.WriteAsync([new TelemetryBatch([Records.Span(traceId, "a", 1_000), Records.Span(traceId, "b", 9_000)], [])], Ct);
        }
        // What version 1 wrote: the same tables without the trace index and the commit sequence.
        Execute(folder, WithoutCommitSequence + "DROP TABLE trace_index; UPDATE threadline_schema SET version = 1");

        await using (var upgraded = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }))
        {
            Assert.Equal(["a", "b"], (await upgraded.GetTraceAsync(traceId, Ct)).Select(s => s.Name));
        }
        Assert.Equal(3L, Scalar(folder, "SELECT max(version) FROM threadline_schema"));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Turns a version-3 folder back into what versions 1 and 2 wrote, as far as the commit sequence goes.</summary>
    private const string WithoutCommitSequence =
        "ALTER TABLE spans DROP COLUMN commit_seq; ALTER TABLE logs DROP COLUMN commit_seq; DROP TABLE commit_sequence; ";

    [Fact]
    public async Task A_folder_of_schema_version_2_is_upgraded_with_every_row_as_commit_1()
    {
        var folder = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));
        var traceId = Records.NewTraceId();
        await using (var store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }))
        {
            await store.WriteAsync([new TelemetryBatch([Records.Span(traceId, "a", 1_000)], [Records.Log(traceId, 1, 1_000, "l")])], Ct);
            await store.WriteAsync([new TelemetryBatch([Records.Span(traceId, "b", 9_000)], [])], Ct);
        }
        Execute(folder, WithoutCommitSequence + "UPDATE threadline_schema SET version = 2");

        await using (var upgraded = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = folder }))
        {
            Assert.Equal(1, upgraded.LastCommitSequence);
            Assert.Equal(["a", "b"], (await ScanAsync(upgraded, 0)).Select(s => s.Name).Order());
            Assert.Empty(await ScanAsync(upgraded, 1));
            Assert.Equal(["a", "b"], (await upgraded.GetTraceAsync(traceId, Ct)).Select(s => s.Name));
            Assert.Equal("l", Assert.Single(await upgraded.FindLogsAsync(new LogQuery { TraceId = traceId }, Ct)).Body);
            await upgraded.WriteAsync([new TelemetryBatch([Records.Span(traceId, "c", 10_000)], [])], Ct);
            Assert.Equal(2, upgraded.LastCommitSequence);
            Assert.Equal(["c"], (await ScanAsync(upgraded, 1)).Select(s => s.Name));
        }
        Assert.Equal(3L, Scalar(folder, "SELECT max(version) FROM threadline_schema"));
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

    private static async Task<List<SpanRecord>> ScanAsync(ITelemetryStore store, long after)
    {
        var spans = new List<SpanRecord>();
        await foreach (var page in store.ScanSpansCommittedAfterAsync(after, 100, Ct))
            spans.AddRange(page);
        return spans;
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

    private static void Execute(string folder, string sql)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={Path.Combine(folder, DuckDbStoreOptions.FileName)}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(string folder, string sql)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={Path.Combine(folder, DuckDbStoreOptions.FileName)}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
