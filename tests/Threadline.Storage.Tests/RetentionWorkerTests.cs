using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Storage.DuckDb;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>A deletion the derived state was not told about (an observer or the delete threw) is told by the next pass.</summary>
public sealed class RetentionWorkerTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "threadline-retention-tests", Guid.NewGuid().ToString("n"));
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
    public async Task When_an_observer_fails_the_next_pass_tells_every_observer_the_cutoff_although_nothing_is_left_to_delete()
    {
        var failing = new FailingOnce();
        var recording = new Recording();
        await using var retention = new RetentionWorker(_store!, new RetentionOptions { MaxAge = TimeSpan.FromDays(1) },
            [recording, failing], NullLogger<RetentionWorker>.Instance);
        await _store!.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "old", 1_000)], [])], Ct);

        await Assert.ThrowsAsync<IOException>(() => retention.RunPassAsync(Ct));
        var second = await retention.RunPassAsync(Ct);
        var third = await retention.RunPassAsync(Ct);

        Assert.Equal((0L, 0L), (second.Total, third.Total));
        Assert.Equal(2, recording.Cutoffs.Count); // the failed pass, then its retry; the third pass has nothing to tell
        Assert.Single(failing.Cutoffs);
        Assert.Equal(recording.Cutoffs[0], failing.Cutoffs[0]);
    }

    [Fact]
    public async Task A_delete_that_failed_after_committing_is_told_by_the_next_pass_although_that_one_deletes_nothing()
    {
        var recording = new Recording();
        var store = new FailsAfterFirstDelete(_store!);
        await using var retention = new RetentionWorker(store, new RetentionOptions { MaxAge = TimeSpan.FromDays(1) },
            [recording], NullLogger<RetentionWorker>.Instance);
        await _store!.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "old", 1_000)], [])], Ct);

        await Assert.ThrowsAsync<IOException>(() => retention.RunPassAsync(Ct));
        Assert.Empty(recording.Cutoffs);
        Assert.Equal(0, (await _store.GetStatisticsAsync(Ct)).SpanCount); // the failed delete did delete
        var second = await retention.RunPassAsync(Ct);
        var third = await retention.RunPassAsync(Ct);

        Assert.Equal((0L, 0L), (second.Total, third.Total));
        Assert.Single(recording.Cutoffs); // told once, by the second pass
    }

    [Fact]
    public async Task A_failed_delete_covered_by_a_later_one_that_deleted_rows_is_not_told_again()
    {
        var recording = new Recording();
        var store = new FailsAfterFirstDelete(_store!);
        await using var retention = new RetentionWorker(store, new RetentionOptions { MaxAge = TimeSpan.FromDays(1) },
            [recording], NullLogger<RetentionWorker>.Instance);
        await _store!.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "old", 1_000)], [])], Ct);

        await Assert.ThrowsAsync<IOException>(() => retention.RunPassAsync(Ct));
        await _store.WriteAsync([new TelemetryBatch([Records.Span(Records.NewTraceId(), "older", 500)], [])], Ct);
        var second = await retention.RunPassAsync(Ct);
        var third = await retention.RunPassAsync(Ct);

        Assert.Equal((1L, 0L), (second.Total, third.Total));
        Assert.Single(recording.Cutoffs); // the second pass told its cutoff, which covers the failed one; the third has nothing to tell
    }

    /// <summary>The first delete commits on the real store and then throws, as a backend's step after its commit can.</summary>
    private sealed class FailsAfterFirstDelete(DuckDbTelemetryStore inner) : DelegatingStore(inner), IStoreRetention
    {
        private int _deletes;

        public async Task<DeletedRecords> DeleteBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
        {
            var deleted = await inner.DeleteBeforeAsync(cutoffUnixNano, cancellationToken);
            if (Interlocked.Increment(ref _deletes) == 1)
                throw new IOException("the step after the commit failed");
            return deleted;
        }

        public Task<long> GetUsedBytesAsync(CancellationToken cancellationToken) => inner.GetUsedBytesAsync(cancellationToken);

        public Task<long?> GetCutoffForOldestAsync(double fraction, CancellationToken cancellationToken) =>
            inner.GetCutoffForOldestAsync(fraction, cancellationToken);
    }

    private sealed class Recording : IDeletionObserver
    {
        public List<long> Cutoffs { get; } = [];

        public void OnDeletedBefore(long cutoffUnixNano) => Cutoffs.Add(cutoffUnixNano);
    }

    private sealed class FailingOnce : IDeletionObserver
    {
        private bool _failed;

        public List<long> Cutoffs { get; } = [];

        public void OnDeletedBefore(long cutoffUnixNano)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("the derived store is away");
            }
            Cutoffs.Add(cutoffUnixNano);
        }
    }
}
