using Microsoft.Extensions.Logging;
using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Storage.Derived.Search;
using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>
/// Keeps the search index derived from the stored spans (docs/search.md): re-derives whole traces after each commit
/// (on the writer loop, after the stitcher and the analysis) and, at start, the commits past the index's watermark in
/// the background. The watermark moves only over commits whose traces are all derived: while the catch-up runs, live
/// commits are derived but the watermark waits for the catch-up to finish; after a failed derivation it stops, so the
/// next start derives again from there.
/// </summary>
public sealed class SearchIndexer(ISearchIndexStore index, ITelemetryStore store, StitchEngine engine, SearchRowBuilder builder, ILogger<SearchIndexer> logger)
{
    /// <summary>Logs are looked for this long before and after the trace's spans (their clocks may differ a little).</summary>
    private static readonly long LogMarginNanos = (long)TimeSpan.FromSeconds(5).TotalNanoseconds;

    private readonly Lock _lock = new();
    private bool _caughtUp;
    private bool _failed;
    private long _lastLive;

    public SearchProgress Progress { get; } = new();

    /// <summary>Derives the traces of a committed write (sequence <paramref name="sequence"/>), on the writer loop.</summary>
    public void OnCommitted(IReadOnlyCollection<UInt128> traceIds, long sequence)
    {
        lock (_lock)
        {
            if (_failed)
                return;
            try
            {
                DeriveAsync(traceIds, _caughtUp ? sequence : null, CancellationToken.None).GetAwaiter().GetResult();
                _lastLive = sequence;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _failed = true;
                logger.LogError(e, "Search index: deriving commit {Sequence} failed; the index stops following new spans until the next start, which derives again from its watermark.", sequence);
            }
        }
    }

    /// <summary>Derives every commit past the watermark, page by page, then lets live commits move the watermark.</summary>
    public async Task CatchUpAsync(int pageSize, CancellationToken cancellationToken)
    {
        var watermark = await index.GetWatermarkAsync(cancellationToken).ConfigureAwait(false);
        var target = store.LastCommitSequence;
        Progress.Start(await SpansPastAsync(watermark, cancellationToken).ConfigureAwait(false));
        if (target > watermark)
            logger.LogInformation("Search index: deriving commits {From} to {To} in the background.", watermark + 1, target);
        await foreach (var page in store.ScanSpansCommittedAfterAsync(watermark, pageSize, cancellationToken).ConfigureAwait(false))
        {
            var traces = page.Select(s => s.TraceId).ToHashSet();
            lock (_lock)
            {
                if (_failed)
                    return;
                DeriveAsync(traces, null, cancellationToken).GetAwaiter().GetResult();
            }
            Progress.Advance(page.Count);
        }
        lock (_lock)
        {
            if (_failed)
                return;
            // Every commit up to the scan's end, and every live commit since (each derived on the writer loop), is in.
            var reached = Math.Max(target, _lastLive);
            if (reached > watermark)
                index.ReplaceTracesAsync([], [], reached, cancellationToken).GetAwaiter().GetResult();
            _caughtUp = true;
        }
        Progress.Finish();
        logger.LogInformation("Search index: derived up to commit {Sequence}.", Math.Max(target, _lastLive));
    }

    private async Task<long> SpansPastAsync(long watermark, CancellationToken cancellationToken)
    {
        if (watermark == 0)
            return (await store.GetStatisticsAsync(cancellationToken).ConfigureAwait(false)).SpanCount;
        return -1;
    }

    private async Task DeriveAsync(IReadOnlyCollection<UInt128> traceIds, long? watermark, CancellationToken cancellationToken)
    {
        if (traceIds.Count == 0)
        {
            if (watermark is not null)
                await index.ReplaceTracesAsync([], [], watermark, cancellationToken).ConfigureAwait(false);
            return;
        }
        var traces = await store.GetTracesAsync(traceIds, cancellationToken).ConfigureAwait(false);
        var rows = new List<SearchInvocationRow>();
        foreach (var traceId in traceIds)
        {
            var invocations = engine.FindByTraceId(traceId);
            if (invocations.Count == 0 || !traces.TryGetValue(traceId, out var spans) || spans.Count == 0)
                continue;
            var logs = await store.FindLogsAsync(new LogQuery
            {
                TraceId = traceId,
                FromUnixNano = spans.Min(s => s.StartTimeUnixNano) - LogMarginNanos,
                ToUnixNano = spans.Max(s => s.EndTimeUnixNano) + LogMarginNanos,
                Limit = 10_000,
            }, cancellationToken).ConfigureAwait(false);
            rows.AddRange(builder.Build(invocations, spans, logs));
        }
        await index.ReplaceTracesAsync(traceIds, rows, watermark, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>How far the search index's background derivation is (for the log and the health answer).</summary>
public sealed class SearchProgress
{
    private long _done;
    private long _total = -1;
    private int _state; // 0 starting, 1 deriving, 2 ready

    public string State => Volatile.Read(ref _state) switch { 0 => "starting", 1 => "deriving", _ => "ready" };

    public long SpansDone => Interlocked.Read(ref _done);

    /// <summary>Spans to derive when known (a first derivation of a whole store); -1 otherwise.</summary>
    public long SpansTotal => Interlocked.Read(ref _total);

    internal void Start(long total)
    {
        Interlocked.Exchange(ref _total, total);
        Volatile.Write(ref _state, 1);
    }

    internal void Advance(int spans) => Interlocked.Add(ref _done, spans);

    internal void Finish() => Volatile.Write(ref _state, 2);
}
