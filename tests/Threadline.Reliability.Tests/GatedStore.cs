using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Threadline.Storage;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Reliability.Tests;

/// <summary>
/// A test double around the real store: every write first waits for the gate to be open and then for
/// <see cref="WriteDelay"/>, so the store is as slow as a test needs; the pages of commit-ordered scans (the catch-ups')
/// can be held back until <see cref="ScansWaitFor"/> completes, and each delete call is announced; everything else is
/// the real store's.
/// </summary>
internal sealed class GatedStore(ITelemetryStore inner) : ITelemetryStore, IStoreRetention
{
    private volatile TaskCompletionSource _gate = Opened();

    public TimeSpan WriteDelay { get; set; }

    public int WritesWaiting => _writesWaiting;

    private int _writesWaiting;
    private int _deletes;
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _deleteCalls = new();

    /// <summary>When set, every page of <see cref="ScanSpansCommittedAfterAsync"/> and <see cref="ScanLogsCommittedAfterAsync"/>
    /// is read from the real store and then held until this completes.</summary>
    public Task? ScansWaitFor { get; set; }

    /// <summary>Completes when the <paramref name="call"/>-th call of <see cref="DeleteBeforeAsync"/> (from 1) begins.</summary>
    public Task DeleteCalled(int call) => DeleteCall(call).Task;

    private TaskCompletionSource DeleteCall(int call) =>
        _deleteCalls.GetOrAdd(call, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public StoreCapabilities Capabilities => inner.Capabilities;

    public async Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writesWaiting);
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
            if (WriteDelay > TimeSpan.Zero)
                await Task.Delay(WriteDelay, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _writesWaiting);
        }
        await inner.WriteAsync(batches, cancellationToken);
    }

    public Task<IReadOnlyList<SpanRecord>> GetTraceAsync(UInt128 traceId, CancellationToken cancellationToken) => inner.GetTraceAsync(traceId, cancellationToken);

    public Task<IReadOnlyList<SpanRecord>> FindSpansAsync(SpanQuery query, CancellationToken cancellationToken) => inner.FindSpansAsync(query, cancellationToken);

    public Task<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken) => inner.FindLogsAsync(query, cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansAsync(int pageSize, CancellationToken cancellationToken) => inner.ScanSpansAsync(pageSize, cancellationToken);

    public long LastCommitSequence => inner.LastCommitSequence;

    public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        HeldAsync(inner.ScanSpansCommittedAfterAsync(sequence, pageSize, cancellationToken), cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<LogRecord>> ScanLogsCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        HeldAsync(inner.ScanLogsCommittedAfterAsync(sequence, pageSize, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<T> HeldAsync<T>(IAsyncEnumerable<T> pages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            if (ScansWaitFor is { } hold)
                await hold.WaitAsync(cancellationToken);
            yield return page;
        }
    }

    public Task<IReadOnlyDictionary<UInt128, IReadOnlyList<SpanRecord>>> GetTracesAsync(IReadOnlyCollection<UInt128> traceIds, CancellationToken cancellationToken) =>
        inner.GetTracesAsync(traceIds, cancellationToken);

    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => inner.GetStatisticsAsync(cancellationToken);

    public Task<DeletedRecords> DeleteBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
    {
        DeleteCall(Interlocked.Increment(ref _deletes)).TrySetResult();
        return ((IStoreRetention)inner).DeleteBeforeAsync(cutoffUnixNano, cancellationToken);
    }

    public Task<long> GetUsedBytesAsync(CancellationToken cancellationToken) => ((IStoreRetention)inner).GetUsedBytesAsync(cancellationToken);

    public Task<long?> GetCutoffForOldestAsync(double fraction, CancellationToken cancellationToken) =>
        ((IStoreRetention)inner).GetCutoffForOldestAsync(fraction, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
