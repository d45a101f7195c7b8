using Threadline.Telemetry;

namespace Threadline.Storage;

/// <summary>
/// The storage contract every backend implements; <c>docs/storage-contract.md</c> states the rules
/// (atomicity, durability, ordering, ownership) and the conformance suite in tests checks them.
/// </summary>
public interface ITelemetryStore : IAsyncDisposable
{
    StoreCapabilities Capabilities { get; }

    /// <summary>
    /// Stores the batches in one atomic step: when the task completes every record is durable; when it
    /// throws, none is stored. Callers own the batches; the store keeps no reference to them.
    /// </summary>
    Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken);

    /// <summary>
    /// Every stored span of the trace, each span id once (a span re-sent by an exporter retry is not doubled),
    /// ordered by start time then span id; empty when the trace is unknown.
    /// </summary>
    Task<IReadOnlyList<SpanRecord>> GetTraceAsync(UInt128 traceId, CancellationToken cancellationToken);

    /// <summary>Spans whose start lies in the query's range, newest first, at most <see cref="SpanQuery.Limit"/>.</summary>
    Task<IReadOnlyList<SpanRecord>> FindSpansAsync(SpanQuery query, CancellationToken cancellationToken);

    /// <summary>Log records matching the query, oldest first, at most <see cref="LogQuery.Limit"/>.</summary>
    Task<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Every stored span, in pages of at most <paramref name="pageSize"/>, in no particular order (a span written
    /// twice may come twice). For rebuilding derived state, such as the stitcher's, at start.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansAsync(int pageSize, CancellationToken cancellationToken);

    Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken);
}
