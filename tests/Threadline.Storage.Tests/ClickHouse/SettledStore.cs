using Threadline.Storage.ClickHouse;
using Threadline.Telemetry;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// A shared-writer store as the conformance suite expects one writer to behave. Shared writers do not read their own
/// writes (a write becomes visible once the settled frontier passes it, up to the begin bound later) and number
/// writes by clock and slot rather than 1, 2, 3; the suite reads right after writing and after reopening, so this
/// waits (refreshing, with a deadline) until the frontier covers this store's latest write, and after opening until
/// it covers every write begun before. Nothing else is changed: every assertion of the suite holds as written.
/// </summary>
internal sealed class SettledStore(ClickHouseTelemetryStore inner) : ITelemetryStore
{
    public ClickHouseTelemetryStore Inner => inner;

    public static async Task<SettledStore> OpenAsync(ClickHouseServerFixture fixture, string database)
    {
        var store = await SharedWriterOptions.OpenAsync(fixture, database);
        await SharedWriterOptions.WaitForFrontierAsync(store, store.OpenedAtSequence);
        return new SettledStore(store);
    }

    public StoreCapabilities Capabilities => inner.Capabilities;

    public long LastCommitSequence => inner.LastCommitSequence;

    public async Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(batches, cancellationToken);
        await SharedWriterOptions.WaitForFrontierAsync(inner, inner.LastWrittenSequence);
    }

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
