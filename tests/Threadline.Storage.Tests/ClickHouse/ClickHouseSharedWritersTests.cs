using System.Collections.Concurrent;
using System.Diagnostics;
using Threadline.Storage.ClickHouse;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// Several store instances writing one database, as the scale-out's ingest processes do, a reader, and a follower
/// that derives by watermark: every acknowledged write is read and followed exactly once, whatever the order in which
/// writes complete, and a write whose writer stops half-way is never shown.
/// </summary>
public sealed class ClickHouseSharedWritersTests(ClickHouseServerFixture fixture) : IAsyncLifetime
{
    private readonly string _database = ClickHouseServerFixture.NewDatabaseName("shared_writers");
    private readonly List<ClickHouseTelemetryStore> _stores = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
    }

    private async Task<ClickHouseTelemetryStore> OpenAsync(TimeSpan? completeBound = null, TimeSpan? refreshInterval = null, TimeSpan? lease = null)
    {
        var store = await SharedWriterOptions.OpenAsync(fixture, _database, completeBound, refreshInterval, lease);
        _stores.Add(store);
        return store;
    }

    private Task<ClickHouseTelemetryStore> OpenFollowerAsync(TimeSpan? completeBound = null) => OpenAsync(completeBound, Timeout.InfiniteTimeSpan);

    private static List<TelemetryBatch> Write(string name, int spans, ResourceRecord? resource = null)
    {
        var traceId = Records.NewTraceId();
        return [new TelemetryBatch(Enumerable.Range(0, spans).Select(i => Records.Span(traceId, $"{name}.{i}", 1_000 + i, resource)).ToList(), [])];
    }

    [Fact]
    public async Task Concurrent_writers_are_read_back_and_followed_exactly_once()
    {
        var writers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => OpenAsync()));
        var follower = new CommitFollower(await OpenFollowerAsync());
        var reader = await OpenAsync();
        Assert.Equal(_stores.Count, _stores.Select(s => s.WriterSlot).Distinct().Count());

        var acknowledged = new ConcurrentBag<(UInt128 Trace, string Name, string Service)>();
        using var done = new CancellationTokenSource();
        var following = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
                await follower.StepAsync();
        }, Ct);
        await Task.WhenAll(writers.Select((writer, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                // Each writer stores spans of its own resource, which the other instances learn from the database.
                var resource = new ResourceRecord((ulong)(500 + w), $"service{w}", [new("service.name", $"service{w}")], null);
                var batches = Write($"w{w}.{i}", 1 + i % 4, resource);
                await writer.WriteAsync(batches, Ct);
                foreach (var span in batches[0].Spans)
                    acknowledged.Add((span.TraceId, span.Name, span.Service));
            }
        }, Ct)));
        await done.CancelAsync();
        await following;

        var target = writers.Max(w => w.LastWrittenSequence);
        await follower.FollowToAsync(target);
        Assert.Equal(acknowledged.Select(a => a.Name).Order(), follower.Seen.Order());

        await SharedWriterOptions.WaitForFrontierAsync(reader, target);
        var traces = await reader.GetTracesAsync(acknowledged.Select(a => a.Trace).Distinct().ToList(), Ct);
        Assert.Equal(
            acknowledged.Select(a => (a.Name, a.Service)).Order(),
            traces.Values.SelectMany(t => t).Select(s => (s.Name, s.Service)).Order());
        Assert.Equal(acknowledged.Count, (await reader.GetStatisticsAsync(Ct)).SpanCount);
    }

    [Fact]
    public async Task A_refresh_step_makes_whole_commits_visible_a_few_records_at_a_time()
    {
        var writer = await OpenAsync();
        var sequences = new List<long>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await writer.WriteAsync(Write(name, 5), Ct);
            sequences.Add(writer.LastWrittenSequence);
        }
        var options = new ClickHouseStoreOptions
        {
            Connection = await fixture.OptionsAsync(_database),
            SharedWriters = true,
            BeginBound = TimeSpan.FromMilliseconds(500),
            MaxClockSkew = TimeSpan.Zero,
            RefreshInterval = Timeout.InfiniteTimeSpan,
            RefreshStepRecords = 6,
        };
        var stepped = await ClickHouseTelemetryStore.OpenAsync(options, null, Ct);
        _stores.Add(stepped);
        await Task.Delay(options.BeginBound * 2, Ct); // every write settled

        // 5 records, then 10 ≥ 6: the second commit ends the step; the third comes with the next refresh.
        Assert.Equal(sequences[1], await stepped.RefreshAsync(Ct));
        Assert.Equal(sequences[2], await stepped.RefreshAsync(Ct));
        Assert.Equal(sequences[2], await stepped.RefreshAsync(Ct));
        var read = 0;
        await foreach (var page in stepped.ScanSpansCommittedAfterAsync(0, 100, Ct))
            read += page.Count;
        Assert.Equal(15, read);
    }

    [Fact]
    public async Task A_slow_write_holds_the_frontier_and_later_writes_are_followed_after_it()
    {
        var slow = await OpenAsync();
        var fast = await OpenAsync();
        var followerStore = await OpenFollowerAsync();
        var follower = new CommitFollower(followerStore);
        var begun = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.BeforeRowsForTest = async (sequence, ct) =>
        {
            begun.TrySetResult(sequence);
            await held.Task.WaitAsync(ct);
        };

        var slowWrite = slow.WriteAsync(Write("slow", 3), Ct);
        var slowSequence = await begun.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        for (var i = 0; i < 3; i++)
            await fast.WriteAsync(Write($"fast{i}", 2), Ct);
        Assert.True(fast.LastWrittenSequence > slowSequence);

        // Until the clock alone would let the frontier pass the fast writes, then: the slow write still holds it.
        await WaitUntilAsync(() => SharedSequence.MicrosOf(fast.LastWrittenSequence) < SharedSequence.NowMicros() - 600_000);
        await follower.StepAsync();
        Assert.Equal(slowSequence - 1, followerStore.SettledFrontier);
        Assert.True(follower.Watermark < slowSequence);
        Assert.Empty(follower.Seen);

        held.SetResult();
        await slowWrite;
        await follower.FollowToAsync(fast.LastWrittenSequence);

        // In commit order, the slow write first (its sequence is the oldest); spans within a commit in any order.
        Assert.Equal(["slow", "slow", "slow", "fast0", "fast0", "fast1", "fast1", "fast2", "fast2"], follower.Seen.Select(n => n.Split('.')[0]));
        Assert.Equal(["fast0.0", "fast0.1", "fast1.0", "fast1.1", "fast2.0", "fast2.1", "slow.0", "slow.1", "slow.2"], follower.Seen.Order());
    }

    [Fact]
    public async Task A_writer_that_stops_between_begin_and_complete_leaves_a_hole_after_the_bound()
    {
        var completeBound = TimeSpan.FromSeconds(2);
        var stopped = await OpenAsync(completeBound);
        var other = await OpenAsync(completeBound);
        var follower = new CommitFollower(await OpenFollowerAsync(completeBound));
        var begun = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stopped.BeforeRowsForTest = async (sequence, ct) =>
        {
            begun.TrySetResult(sequence);
            await wake.Task.WaitAsync(ct);
        };
        var lost = Write("lost", 2);

        var stoppedWrite = stopped.WriteAsync(lost, Ct);
        var hole = await begun.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await other.WriteAsync(Write("after", 2), Ct);
        var sinceBegin = Stopwatch.StartNew();
        await follower.FollowToAsync(other.LastWrittenSequence);

        Assert.True(sinceBegin.Elapsed > completeBound - TimeSpan.FromMilliseconds(600), $"passed the stopped write after {sinceBegin.Elapsed}");
        Assert.Equal(["after.0", "after.1"], follower.Seen.Order());

        // The writer wakes up past the bound: its rows go in, its completion does not, and nobody ever shows them.
        wake.SetResult();
        await Assert.ThrowsAsync<TimeoutException>(() => stoppedWrite);
        await other.WriteAsync(Write("later", 1), Ct);
        await follower.FollowToAsync(other.LastWrittenSequence);
        Assert.Equal(["after.0", "after.1", "later.0"], follower.Seen.Order());
        var reader = await OpenAsync(completeBound);
        await SharedWriterOptions.WaitForFrontierAsync(reader, reader.OpenedAtSequence);
        Assert.Empty(await reader.GetTraceAsync(lost[0].Spans[0].TraceId, Ct));
        Assert.Contains(hole, reader.SharedHoles);
        Assert.True(reader.LastCommitSequence >= other.LastWrittenSequence);
    }

    [Fact]
    public async Task A_restarted_writer_keeps_sequences_increasing_and_a_crashed_writers_slot_waits_for_its_lease()
    {
        var lease = TimeSpan.FromSeconds(3);
        var first = await OpenAsync(lease: lease);
        var slot = first.WriterSlot;
        await first.WriteAsync(Write("first", 1), Ct);
        var firstSequence = first.LastWrittenSequence;
        await first.DisposeAsync();

        // Closed: its slot is free at once.
        var restarted = await OpenAsync(lease: lease);
        Assert.Equal(slot, restarted.WriterSlot);
        await restarted.WriteAsync(Write("restarted", 1), Ct);
        Assert.True(restarted.LastWrittenSequence > firstSequence);

        var restartedSequence = restarted.LastWrittenSequence;
        await restarted.StopWithoutReleasingAsync();
        var crashed = Stopwatch.StartNew();
        var meanwhile = await OpenAsync(lease: lease);
        Assert.NotEqual(slot, meanwhile.WriterSlot);

        ClickHouseTelemetryStore? reused = null;
        await WaitUntilAsync(async () =>
        {
            var store = await SharedWriterOptions.OpenAsync(fixture, _database, lease: lease);
            if (store.WriterSlot == slot)
            {
                reused = store;
                return true;
            }
            await store.DisposeAsync();
            return false;
        });
        _stores.Add(reused!);
        // The slot's last heartbeat was at most a third of the lease before the crash.
        Assert.True(crashed.Elapsed > lease - lease / 3 - TimeSpan.FromMilliseconds(200), $"reused after {crashed.Elapsed}");
        await reused!.WriteAsync(Write("reused", 1), Ct);
        Assert.True(reused.LastWrittenSequence > restartedSequence);
        Assert.Equal(slot, (int)(reused.LastWrittenSequence & (SharedSequence.Slots - 1)));
    }

    [Fact]
    public async Task A_begin_marker_stored_later_than_the_bound_is_given_up_and_the_write_retried_under_a_new_number()
    {
        var writer = await OpenAsync();
        var follower = new CommitFollower(await OpenFollowerAsync());
        var attempts = new List<long>();
        writer.AfterBeginMarkerForTest = (sequence, ct) =>
        {
            attempts.Add(sequence);
            // The first begin marker is acknowledged "late": past the 500 ms bound.
            return attempts.Count == 1 ? Task.Delay(TimeSpan.FromMilliseconds(700), ct) : Task.CompletedTask;
        };

        await writer.WriteAsync(Write("retried", 2), Ct);

        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[1], writer.LastWrittenSequence);
        Assert.True(attempts[1] > attempts[0]);
        await follower.FollowToAsync(writer.LastWrittenSequence);
        Assert.Equal(["retried.0", "retried.1"], follower.Seen.Order());
        using var client = await fixture.CreateDatabaseAsync(_database);
        Assert.Equal("0,3", await client.ScalarAsync($"SELECT arrayStringConcat(arrayMap(s -> toString(s), arraySort(groupArray(state))), ',') FROM commits WHERE seq = {attempts[0]}", Ct));
    }

    [Fact]
    public async Task Stores_opened_at_the_same_time_get_distinct_slots()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OpenAsync()));

        Assert.Equal(8, stores.Select(s => s.WriterSlot).Distinct().Count());
        Assert.All(stores, s => Assert.InRange(s.WriterSlot!.Value, 0, SharedSequence.Slots - 1));
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await condition())
            await Task.Delay(50, timeout.Token);
    }
}
