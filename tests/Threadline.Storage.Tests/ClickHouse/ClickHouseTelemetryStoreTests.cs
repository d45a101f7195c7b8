using System.Security.Cryptography;
using Threadline.Storage.ClickHouse;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// The ClickHouse backend runs the whole conformance suite on a real server; each test has its own database, named
/// after the test's data folder so that reopening the "folder" reopens the same database.
/// </summary>
public sealed class ClickHouseTelemetryStoreTests(ClickHouseServerFixture fixture) : TelemetryStoreConformanceTests
{
    protected override async Task<ITelemetryStore> OpenStoreAsync(string dataDirectory)
    {
        // The databases are left to the server's temporary folder, deleted when the assembly's server stops.
        var database = DatabaseFor(dataDirectory);
        return await ClickHouseTelemetryStore.OpenAsync(new ClickHouseStoreOptions { Connection = await fixture.OptionsAsync(database) }, null, Ct);
    }

    /// <summary>Logs cannot be inserted while their table is renamed away; spans, inserted before them, can.</summary>
    protected override async Task<IAsyncDisposable> BreakLogWritesAsync(string dataDirectory)
    {
        var client = new ClickHouseClient(await fixture.OptionsAsync(DatabaseFor(dataDirectory)));
        await client.ExecuteAsync("RENAME TABLE logs TO logs_broken", Ct);
        return new Restore(client);
    }

    private sealed class Restore(ClickHouseClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.ExecuteAsync("RENAME TABLE logs_broken TO logs", CancellationToken.None);
            client.Dispose();
        }
    }

    private static string DatabaseFor(string dataDirectory) =>
        "store_" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..24];

    [Fact]
    public async Task A_failed_write_stays_invisible_after_reopening_and_its_number_is_not_reused()
    {
        var kept = Records.Span(Records.NewTraceId(), "kept", 1_000);
        await Store.WriteAsync([new TelemetryBatch([kept], [])], Ct);
        var lost = Records.Span(Records.NewTraceId(), "lost", 2_000);
        await using (await BreakLogWritesAsync(DataDirectory))
        {
            await Assert.ThrowsAnyAsync<ClickHouseServerException>(() =>
                Store.WriteAsync([new TelemetryBatch([lost], [Records.Log(lost.TraceId, lost.SpanId, 2_000, "x")])], Ct));
        }
        var next = Records.Span(Records.NewTraceId(), "next", 3_000);
        await Store.WriteAsync([new TelemetryBatch([next], [])], Ct);
        var lastBefore = Store.LastCommitSequence;

        await Store.DisposeAsync();
        Store = await OpenStoreAsync(DataDirectory);

        Assert.Equal(lastBefore, Store.LastCommitSequence);
        Assert.Empty(await Store.GetTraceAsync(lost.TraceId, Ct));
        Assert.Equal(["kept", "next"], (await ScanCommittedAfterAsync(0, 10)).Select(s => s.Name));
        Assert.Equal(["next", "kept"], (await Store.FindSpansAsync(new SpanQuery(0, 10_000), Ct)).Select(s => s.Name));
        Assert.Equal(2, (await Store.GetStatisticsAsync(Ct)).SpanCount);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "after", 4_000)], [])], Ct);
        Assert.True(Store.LastCommitSequence > lastBefore);
        Assert.Equal(["after"], (await ScanCommittedAfterAsync(lastBefore, 10)).Select(s => s.Name));
    }

    [Fact]
    public async Task A_write_that_fails_before_anything_is_stored_gives_its_number_back()
    {
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "first", 1_000)], [])], Ct);
        var before = Store.LastCommitSequence;
        using (var client = new ClickHouseClient(await fixture.OptionsAsync(DatabaseFor(DataDirectory))))
        {
            await client.ExecuteAsync("RENAME TABLE commits TO commits_away", Ct);
            for (var i = 0; i < 3; i++)
            {
                await Assert.ThrowsAsync<ClickHouseServerException>(() =>
                    Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "refused", 2_000)], [])], Ct));
            }
            await client.ExecuteAsync("RENAME TABLE commits_away TO commits", Ct);
        }

        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "next", 3_000)], [])], Ct);

        Assert.Equal(before + 1, Store.LastCommitSequence);
        Assert.Equal(["next"], (await ScanCommittedAfterAsync(before, 10)).Select(s => s.Name));
        Assert.Equal(["next", "first"], (await Store.FindSpansAsync(new SpanQuery(0, 10_000), Ct)).Select(s => s.Name));
    }

    [Fact]
    public async Task After_retention_a_trace_across_the_cutoff_keeps_its_later_spans_and_an_older_one_is_gone()
    {
        var straddling = Records.NewTraceId();
        var old = Records.NewTraceId();
        await Store.WriteAsync([new TelemetryBatch([Records.Span(straddling, "before", 100), Records.Span(old, "old", 150)], [Records.Log(old, 1, 120, "old log")])], Ct);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(straddling, "after", 300)], [Records.Log(straddling, 1, 310, "new log")])], Ct);
        var retention = (IStoreRetention)Store;

        Assert.Equal(151, await retention.GetCutoffForOldestAsync(0.5, Ct));
        var deleted = await retention.DeleteBeforeAsync(200, Ct);

        Assert.Equal(new DeletedRecords(2, 1), deleted);
        Assert.Equal(["after"], (await Store.GetTraceAsync(straddling, Ct)).Select(s => s.Name));
        Assert.Empty(await Store.GetTraceAsync(old, Ct));
        Assert.Equal(["new log"], (await Store.FindLogsAsync(new LogQuery(), Ct)).Select(l => (string?)l.Body));
        Assert.True(await retention.GetUsedBytesAsync(Ct) > 0);
        Assert.Equal(new DeletedRecords(0, 0), await retention.DeleteBeforeAsync(200, Ct));
    }

    [Fact]
    public async Task After_retention_deleted_everything_the_sequence_continues_after_reopening()
    {
        await Store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "gone", 100)], [])], Ct);
        var last = Store.LastCommitSequence;
        await ((IStoreRetention)Store).DeleteBeforeAsync(long.MaxValue, Ct);
        Assert.Null(await ((IStoreRetention)Store).GetCutoffForOldestAsync(0.5, Ct));

        await Store.DisposeAsync();
        Store = await OpenStoreAsync(DataDirectory);

        Assert.Equal(last, Store.LastCommitSequence);
        Assert.Equal(0, (await Store.GetStatisticsAsync(Ct)).SpanCount);
    }

    [Fact]
    public async Task One_write_of_spans_over_many_days_is_stored_whole()
    {
        const long day = 86_400_000_000_000;
        var traceId = Records.NewTraceId();
        var spans = Enumerable.Range(0, 150).Select(i => Records.Span(traceId, $"day{i}", 1_700_000_000_000_000_000 + i * day)).ToList();

        await Store.WriteAsync([new TelemetryBatch(spans, [])], Ct);

        Assert.Equal(150, (await Store.GetTraceAsync(traceId, Ct)).Count);
    }

    [Fact]
    public async Task Traces_that_share_the_low_half_of_their_id_are_kept_apart()
    {
        // trace_index is keyed by the low 64 bits; the spans query filters on the whole id.
        var first = new UInt128(1, 0xABCDEF);
        var second = new UInt128(2, 0xABCDEF);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(first, "first", 1_000), Records.Span(second, "second", 900_000)], [])], Ct);

        Assert.Equal(["first"], (await Store.GetTraceAsync(first, Ct)).Select(s => s.Name));
        Assert.Equal(["second"], (await Store.GetTraceAsync(second, Ct)).Select(s => s.Name));
        var both = await Store.GetTracesAsync([first, second], Ct);
        Assert.Equal(["first"], both[first].Select(s => s.Name));
        Assert.Equal(["second"], both[second].Select(s => s.Name));
    }

    [Fact]
    public async Task A_database_of_another_schema_version_is_refused_with_the_reason()
    {
        using (var client = new ClickHouseClient(await fixture.OptionsAsync(DatabaseFor(DataDirectory))))
            await client.ExecuteAsync("INSERT INTO threadline_schema (version) VALUES (99)", Ct);
        await Store.DisposeAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStoreAsync(DataDirectory));

        Assert.Contains("schema version 99", error.Message);
        Store = await OpenStoreFromScratchAsync();
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_at_open_is_a_clear_error()
    {
        var options = new ClickHouseStoreOptions
        {
            Connection = new ClickHouseConnectionOptions { Url = new Uri("http://127.0.0.1:1/"), Database = "unreachable" },
        };

        var error = await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => ClickHouseTelemetryStore.OpenAsync(options, null, Ct));

        Assert.Contains("127.0.0.1:1", error.Message);
    }

    [Fact]
    public async Task The_schema_on_this_server_matches_its_version()
    {
        var store = (ClickHouseTelemetryStore)Store;
        using var client = new ClickHouseClient(await fixture.OptionsAsync(store.Database));

        var create = await client.ScalarAsync("SHOW CREATE TABLE spans", Ct);

        Assert.Contains("ORDER BY (service, start_time_unix_nano)", create);
        Assert.Equal(store.ServerVersion.HasModernSchemaFeatures, create!.Contains("CODEC(", StringComparison.Ordinal));
        Assert.Equal(store.ServerVersion.HasModernSchemaFeatures, create.Contains("INDEX commit_seq_range", StringComparison.Ordinal));
    }

    private async Task<ITelemetryStore> OpenStoreFromScratchAsync()
    {
        using (var client = new ClickHouseClient(await fixture.OptionsAsync(DatabaseFor(DataDirectory))))
            await client.ExecuteAsync($"DROP DATABASE {ClickHouseSql.Identifier(DatabaseFor(DataDirectory))}", Ct, database: "default");
        return await OpenStoreAsync(DataDirectory);
    }
}
