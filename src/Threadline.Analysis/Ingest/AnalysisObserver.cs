using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>Queues every committed span for analysis; it runs on the writer loop, so it only enqueues.</summary>
internal sealed class AnalysisObserver(AnalysisState state, AnalysisSignal signal) : ICommittedBatchObserver
{
    public void OnCommitted(IReadOnlyList<TelemetryBatch> batches)
    {
        foreach (var batch in batches)
            state.Enqueue(batch.Spans);
        signal.Set();
    }

    /// <summary>Stored spans read back at start (after the stitcher took them): applied at once, page by page.</summary>
    public void OnReplayed(IReadOnlyList<SpanRecord> spans)
    {
        state.Enqueue(spans);
        state.Drain();
    }
}

/// <summary>Wakes the background loop when spans are queued.</summary>
public sealed class AnalysisSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already set by another thread.
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
