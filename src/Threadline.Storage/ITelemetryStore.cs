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
    /// The commit sequence of the latest committed write: every <see cref="WriteAsync"/> that stores at least one
    /// record gets the next number (1, 2, 3, …), kept with its rows, so it continues after a restart; 0 while nothing
    /// was ever stored. A failed or empty write takes no number. With one writer, read right after
    /// <see cref="WriteAsync"/> returns it is that write's number (derived state keeps it as its watermark).
    /// </summary>
    long LastCommitSequence { get; }

    /// <summary>
    /// Looks for commits other processes completed (a store several processes write) and returns the new
    /// <see cref="LastCommitSequence"/>; a store only this process writes has nothing to look for.
    /// </summary>
    Task<long> RefreshCommitsAsync(CancellationToken cancellationToken) => Task.FromResult(LastCommitSequence);

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

    /// <summary>
    /// The spans of every commit whose sequence is greater than <paramref name="sequence"/> and at most
    /// <see cref="LastCommitSequence"/> when the scan starts, in commit order (within a commit, in no particular
    /// order), in pages of at most <paramref name="pageSize"/> (a page may end inside a commit). A span written twice
    /// comes once per write. For deriving state past a watermark.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<SpanRecord>> ScanSpansCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// The log records of every commit whose sequence is greater than <paramref name="sequence"/> and at most
    /// <see cref="LastCommitSequence"/> when the scan starts, in commit order (within a commit, in no particular
    /// order), in pages of at most <paramref name="pageSize"/> (a page may end inside a commit). A commit holding only
    /// spans gives nothing. For deriving state from logs past a watermark (a commit may hold only logs).
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<LogRecord>> ScanLogsCommittedAfterAsync(long sequence, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// Many traces in one read: for each requested id that has stored spans, what <see cref="GetTraceAsync"/> returns
    /// for it; unknown ids are left out. For batched read-through of derived state's caches.
    /// </summary>
    Task<IReadOnlyDictionary<UInt128, IReadOnlyList<SpanRecord>>> GetTracesAsync(IReadOnlyCollection<UInt128> traceIds, CancellationToken cancellationToken);

    Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken);
}
