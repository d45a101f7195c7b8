using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Storage.ClickHouse;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Telemetry;
using Threadline.Testing;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// A ClickHouse that goes away while the store runs (its own server, not the shared one, stopped mid-test), and one
/// that is not installed.
/// </summary>
public sealed class ClickHouseServerGoneTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_missing_server_program_fails_with_the_command_that_installs_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ClickHouseServer.StartAsync(["/nonexistent/clickhouse-server"], Ct));

        Assert.Contains("apt-get install -y clickhouse-server", error.Message);
        Assert.Contains("/nonexistent/clickhouse-server", error.Message);
    }

    [Fact]
    public async Task Writes_after_the_server_went_away_fail_as_unavailable_take_no_sequence_and_the_sink_answers_retry_later()
    {
        await using var server = await ClickHouseServer.StartAsync(Ct);
        await using var store = await ClickHouseTelemetryStore.OpenAsync(new ClickHouseStoreOptions
        {
            Connection = new ClickHouseConnectionOptions { Url = server.Url, Database = "gone", Timeout = TimeSpan.FromSeconds(5) },
        }, null, Ct);
        await store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "before", 1_000)], [])], Ct);
        var sequence = store.LastCommitSequence;

        await server.DisposeAsync(); // stopped by its PID, as a crash or a restart would

        await Assert.ThrowsAsync<ClickHouseUnavailableException>(() =>
            store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "after", 2_000)], [])], Ct));
        Assert.Equal(sequence, store.LastCommitSequence);
        await Assert.ThrowsAsync<ClickHouseUnavailableException>(() => store.GetTraceAsync(Records.NewTraceId(), Ct));

        await using var sink = new GroupCommitSink(store, [], new GroupCommitOptions { RetryAfter = TimeSpan.FromSeconds(2) }, NullLogger<GroupCommitSink>.Instance);
        var rejected = await Assert.ThrowsAsync<TelemetryRejectedException>(async () =>
            await sink.WriteAsync(new TelemetryBatch([Records.Span(Records.NewTraceId(), "via sink", 3_000)], []), Ct));
        Assert.Equal(TimeSpan.FromSeconds(2), rejected.RetryAfter);
        Assert.IsType<ClickHouseUnavailableException>(rejected.InnerException);
    }
}
