using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>A test double's base: every call goes to the real store; a double overrides what it changes.</summary>
internal abstract class DelegatingStore(ITelemetryStore inner) : ITelemetryStore
{
    public StoreCapabilities Capabilities => inner.Capabilities;

    public long LastCommitSequence => inner.LastCommitSequence;

    public virtual Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken) => inner.WriteAsync(batches, cancellationToken);

    public Task<IReadOnlyList<SpanRecord>> GetTraceAsync(UInt128 traceId, CancellationToken cancellationToken) => inner.GetTraceAsync(traceId, cancellationToken);

    public Task<IReadOnlyList<SpanRecord>> FindSpansAsync(SpanQuery query, CancellationToken cancellationToken) => inner.FindSpansAsync(query, cancellationToken);

    public Task<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken) => inner.FindLogsAsync(query, cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansAsync(int pageSize, CancellationToken cancellationToken) => inner.ScanSpansAsync(pageSize, cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        inner.ScanSpansCommittedAfterAsync(sequence, pageSize, cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<LogRecord>> ScanLogsCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken) =>
        inner.ScanLogsCommittedAfterAsync(sequence, pageSize, cancellationToken);

    public Task<IReadOnlyDictionary<UInt128, IReadOnlyList<SpanRecord>>> GetTracesAsync(IReadOnlyCollection<UInt128> traceIds, CancellationToken cancellationToken) =>
        inner.GetTracesAsync(traceIds, cancellationToken);

    public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => inner.GetStatisticsAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
