using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>The sink answers only after the store committed, refuses at once when full, and isolates failures.</summary>
public sealed class GroupCommitSinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TelemetryBatch Batch(string name) => new([Records.Span(Records.NewTraceId(), name, 1)], []);

    private static GroupCommitSink Sink(ITelemetryStore store, int maxPending = 16, params ICommittedBatchObserver[] observers) =>
        new(store, observers, new GroupCommitOptions { MaxPendingBatches = maxPending, RetryAfter = TimeSpan.FromSeconds(3) }, NullLogger<GroupCommitSink>.Instance);

    [Fact]
    public async Task A_write_completes_only_after_the_store_committed_it()
    {
        var store = new GatedStore();
        await using var sink = Sink(store);

        var write = sink.WriteAsync(Batch("a"), Ct).AsTask();
        await store.WriteStarted.Task.WaitAsync(Ct);
        Assert.False(write.IsCompleted);

        store.Gate.SetResult();
        await write;
        Assert.Equal(["a"], store.Committed.Select(s => s.Name));
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once_with_a_retry_delay()
    {
        var store = new GatedStore();
        await using var sink = Sink(store, maxPending: 2);
        var first = sink.WriteAsync(Batch("in-flight"), Ct).AsTask();
        await store.WriteStarted.Task.WaitAsync(Ct);
        var queued = new[] { sink.WriteAsync(Batch("q1"), Ct).AsTask(), sink.WriteAsync(Batch("q2"), Ct).AsTask() };

        var refused = Assert.Throws<TelemetryRejectedException>(() => { _ = sink.WriteAsync(Batch("over"), Ct); });

        Assert.Equal(TimeSpan.FromSeconds(3), refused.RetryAfter);
        store.Gate.SetResult();
        await Task.WhenAll(queued.Append(first));
        Assert.DoesNotContain("over", store.Committed.Select(s => s.Name));
    }

    [Fact]
    public async Task A_batch_the_store_rejects_fails_alone_and_the_rest_of_its_group_is_stored()
    {
        var store = new GatedStore { Poison = "poison" };
        await using var sink = Sink(store);
        var blocker = sink.WriteAsync(Batch("first"), Ct).AsTask();
        await store.WriteStarted.Task.WaitAsync(Ct);
        var good1 = sink.WriteAsync(Batch("good1"), Ct).AsTask();
        var poison = sink.WriteAsync(Batch("poison"), Ct).AsTask();
        var good2 = sink.WriteAsync(Batch("good2"), Ct).AsTask();

        store.Gate.SetResult();

        await Task.WhenAll(blocker, good1, good2);
        var error = await Assert.ThrowsAsync<TelemetryRejectedException>(() => poison);
        Assert.Contains("could not store", error.Message);
        Assert.Equal(["first", "good1", "good2"], store.Committed.Select(s => s.Name).Order());
    }

    [Fact]
    public async Task Observers_hear_of_committed_batches_and_their_faults_do_not_fail_the_write()
    {
        var store = new GatedStore();
        store.Gate.SetResult();
        var seen = new Recorder();
        await using var sink = Sink(store, 16, new Throwing(), seen);

        await sink.WriteAsync(Batch("observed"), Ct);

        Assert.Equal(["observed"], seen.Names);
    }

    private sealed class Recorder : ICommittedBatchObserver
    {
        public List<string> Names { get; } = [];

        public void OnCommitted(IReadOnlyList<TelemetryBatch> batches) => Names.AddRange(batches.SelectMany(b => b.Spans).Select(s => s.Name));
    }

    private sealed class Throwing : ICommittedBatchObserver
    {
        public void OnCommitted(IReadOnlyList<TelemetryBatch> batches) => throw new InvalidOperationException("observer bug");
    }

    /// <summary>A store double whose commits wait for a gate, and which rejects any group holding the poison span.</summary>
    private sealed class GatedStore : ITelemetryStore
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<SpanRecord> Committed { get; } = [];
        public string? Poison { get; init; }

        public StoreCapabilities Capabilities { get; } = new();

        public async Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
        {
            WriteStarted.TrySetResult();
            await Gate.Task;
            var spans = batches.SelectMany(b => b.Spans).ToList();
            if (spans.Any(s => s.Name == Poison))
                throw new InvalidOperationException("constraint violated");
            lock (Committed)
                Committed.AddRange(spans);
        }

        public Task<IReadOnlyList<SpanRecord>> GetTraceAsync(UInt128 traceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<SpanRecord>> FindSpansAsync(SpanQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansAsync(int pageSize, CancellationToken cancellationToken) => throw new NotSupportedException();

        public long LastCommitSequence => throw new NotSupportedException();

        public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<IReadOnlyList<LogRecord>> ScanLogsCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<UInt128, IReadOnlyList<SpanRecord>>> GetTracesAsync(IReadOnlyCollection<UInt128> traceIds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
