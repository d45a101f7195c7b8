using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Storage.DuckDb;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>
/// A retention pass waits for a committed group's observers (the stitcher, the analysis) before it deletes: otherwise
/// they would derive spans already deleted, after being told to forget them, and keep them for ever.
/// </summary>
public sealed class WriterTurnTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "threadline-turn-tests", Guid.NewGuid().ToString("n"));
    private DuckDbTelemetryStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = _folder });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_retention_pass_deletes_only_after_the_observers_of_a_committed_group_ran()
    {
        var events = new List<string>();
        var derived = new GatedObserver(events);
        using var turn = new WriterTurn();
        await using var sink = new GroupCommitSink(_store!, [derived], new GroupCommitOptions(), NullLogger<GroupCommitSink>.Instance, turn);
        await using var retention = new RetentionWorker(_store!, new RetentionOptions { MaxAge = TimeSpan.FromDays(1) },
            [new RecordingDeletions(events)], NullLogger<RetentionWorker>.Instance, turn: turn);

        // An old span: committed, and its observer is still deriving it.
        var write = sink.WriteAsync(new TelemetryBatch([Records.Span(Records.NewTraceId(), "old", 1_000)], []), Ct).AsTask();
        await derived.Entered.Task.WaitAsync(Ct);
        var pass = retention.RunPassAsync(Ct);
        try
        {
            // The pass cannot start its delete while the group's observer runs; give it every chance to (it must not).
            await Task.Delay(200, Ct);
            Assert.False(pass.IsCompleted);
            lock (events)
                Assert.Empty(events);
        }
        finally
        {
            derived.Gate.TrySetResult();
        }
        await write;
        var deleted = await pass;

        Assert.Equal(1, deleted.Spans);
        lock (events)
            Assert.Equal(["derived", "forgotten"], events);
    }

    private sealed class GatedObserver(List<string> events) : ICommittedBatchObserver
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnCommitted(IReadOnlyList<TelemetryBatch> batches)
        {
            Entered.TrySetResult();
            Gate.Task.Wait(TestContext.Current.CancellationToken);
            lock (events)
                events.Add("derived");
        }
    }

    private sealed class RecordingDeletions(List<string> events) : IDeletionObserver
    {
        public void OnDeletedBefore(long cutoffUnixNano)
        {
            lock (events)
                events.Add("forgotten");
        }
    }
}
