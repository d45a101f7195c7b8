using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Threadline.Analysis.Configuration;
using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Storage.Derived.Search;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>
/// Keeps the search index derived from the stored spans and logs (docs/search.md): re-derives the touched traces after
/// each commit (on the writer loop, after the stitcher and the analysis) and, at start, the commits past the index's
/// watermark in the background. A trace is derived from all its stored spans and logs: those of recently derived traces
/// are cached (<see cref="SearchTraceCache"/>), the others read back in one batched query each for spans and logs, and
/// a trace the stitcher first saw in this commit needs no span read at all; the catch-up reads all its traces back, as
/// it derives commits this process may not have seen. The watermark moves only over commits whose traces are all
/// derived: while the catch-up runs, live commits are derived but the watermark waits for the catch-up to finish; after
/// a failed derivation it stops, so the next start derives again from there.
/// </summary>
public sealed class SearchIndexer(ISearchIndexStore index, ITelemetryStore store, StitchEngine engine, SearchRowBuilder builder,
    AnalysisOptions options, ILogger<SearchIndexer> logger) : IDisposable
{
    private static readonly long LogMarginNanos = SearchRowBuilder.LogMarginNanos;

    private static readonly IReadOnlySet<UInt128> NoTraces = new HashSet<UInt128>();

    /// <summary>Commits queued for the worker before the writer loop waits for it.</summary>
    public const int QueuedCommits = 16;

    private readonly Lock _lock = new();
    private readonly RetentionFloor _retained = new();
    private readonly SearchTraceCache _cache = new(options.SearchCacheRecords);
    private readonly Channel<QueuedCommit> _queue = Channel.CreateBounded<QueuedCommit>(new BoundedChannelOptions(QueuedCommits) { SingleReader = true, SingleWriter = true });
    private Task? _worker;
    private bool _caughtUp;
    private bool _failed;
    private long _lastQueued;
    private long _lastDerived;

    public SearchProgress Progress { get; } = new();

    /// <summary>
    /// Queues the traces of a committed write (sequence <paramref name="sequence"/>) for derivation, on the writer loop:
    /// its spans and logs are already stored; <paramref name="newTraces"/> are the traces none of whose spans was stored
    /// before. A worker of its own derives the queue in commit order, so the senders are answered without waiting for
    /// the index; when <see cref="QueuedCommits"/> writes are waiting, the writer waits for room.
    /// </summary>
    public void Enqueue(IReadOnlyList<SpanRecord> spans, IReadOnlyList<LogRecord> logs, IReadOnlySet<UInt128> newTraces, long sequence)
    {
        if (Volatile.Read(ref _failed))
            return;
        lock (_lock)
            _worker ??= Task.Factory.StartNew(WorkAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        Volatile.Write(ref _lastQueued, sequence);
        var commit = new QueuedCommit(spans, logs, newTraces, sequence);
        if (!_queue.Writer.TryWrite(commit))
        {
            try
            {
                _queue.Writer.WriteAsync(commit).AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException)
            {
                // Shutting down: the next start derives this commit from the watermark.
            }
        }
    }

    /// <summary>Whether some stored spans are not derived yet: the background derivation of a start is running, commits
    /// are queued, or a derivation failed (the index stopped following until the next start).</summary>
    /// <summary>Whether a derivation failed: the index follows no more new spans until the next start.</summary>
    public bool HasFailed => Volatile.Read(ref _failed);

    public bool IsBehind => Volatile.Read(ref _failed) || !Volatile.Read(ref _caughtUp) || Volatile.Read(ref _lastDerived) < Volatile.Read(ref _lastQueued);

    /// <summary>Commits derived together at most, when the worker is behind.</summary>
    private const int CoalescedCommits = 8;

    private async Task WorkAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // A worker that fell behind derives the queued commits together: one read, one rebuild of each touched
            // invocation and one transaction for all of them.
            var group = new List<QueuedCommit>();
            while (group.Count < CoalescedCommits && _queue.Reader.TryRead(out var queued))
                group.Add(queued);
            if (group.Count == 0)
                continue;
            var commit = group.Count == 1 ? group[0] : new QueuedCommit(
                [.. group.SelectMany(c => c.Spans)], [.. group.SelectMany(c => c.Logs)],
                group.SelectMany(c => c.NewTraces).ToHashSet(), group[^1].Sequence);
            lock (_lock)
            {
                if (_failed)
                    continue;
                try
                {
                    // While the start's derivation runs, it may have indexed this commit's spans already: no trace is new then.
                    DeriveAsync(commit.Spans, commit.Logs, _caughtUp ? commit.NewTraces : NoTraces, _caughtUp ? commit.Sequence : null, CancellationToken.None).GetAwaiter().GetResult();
                    Volatile.Write(ref _lastDerived, commit.Sequence);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Volatile.Write(ref _failed, true);
                    _cache.Clear();
                    Progress.Fail();
                    logger.LogError(e, "Search index: deriving commit {Sequence} failed; the index stops following new spans until the next start, which derives again from its watermark.", commit.Sequence);
                }
            }
        }
    }

    /// <summary>Stops the worker after what is queued (at shutdown the process may end first: the next start derives
    /// what is missing from the watermark).</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private sealed record QueuedCommit(IReadOnlyList<SpanRecord> Spans, IReadOnlyList<LogRecord> Logs, IReadOnlySet<UInt128> NewTraces, long Sequence);

    /// <summary>
    /// Retention deleted the records before the cutoff: their invocations leave the index and the cached traces that may
    /// hold some of them are dropped, under the derivation lock, so a commit derived meanwhile cannot bring them back.
    /// </summary>
    public void ForgetStartedBefore(long cutoffUnixNano)
    {
        lock (_lock)
        {
            _retained.Raise(cutoffUnixNano);
            _cache.Clear();
            index.DeleteStartedBeforeAsync(cutoffUnixNano, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Derives every commit past the watermark, page by page, its spans and then its logs (a commit may hold only logs),
    /// moves the watermark to the last commit when it started (or the last derived live, if later) and lets live
    /// commits move it on. Called again, it derives what was committed since.
    /// </summary>
    /// <param name="following">The derive role's loop calls it round after round: no log lines each time.</param>
    public async Task CatchUpAsync(int pageSize, CancellationToken cancellationToken, bool following = false)
    {
        var watermark = await index.GetWatermarkAsync(cancellationToken).ConfigureAwait(false);
        var target = store.LastCommitSequence;
        Progress.Start(await SpansPastAsync(watermark, cancellationToken).ConfigureAwait(false));
        if (target > watermark && !following)
            logger.LogInformation("Search index: deriving commits {From} to {To} in the background.", watermark + 1, target);
        await foreach (var page in store.ScanSpansCommittedAfterAsync(watermark, pageSize, cancellationToken).ConfigureAwait(false))
        {
            lock (_lock)
            {
                if (_failed)
                    return;
                DeriveAsync(page, [], NoTraces, null, cancellationToken, pageIsStored: true).GetAwaiter().GetResult();
            }
            Progress.Advance(page.Count);
        }
        // A commit may hold only logs: the invocations holding the spans they point to change, as in the live path.
        await foreach (var page in store.ScanLogsCommittedAfterAsync(watermark, pageSize, cancellationToken).ConfigureAwait(false))
        {
            lock (_lock)
            {
                if (_failed)
                    return;
                DeriveAsync([], page, NoTraces, null, cancellationToken, pageIsStored: true).GetAwaiter().GetResult();
            }
        }
        lock (_lock)
        {
            if (_failed)
                return;
            // Every commit up to the scan's end, and every live commit since (each derived by the worker), is in.
            var reached = Math.Max(target, Volatile.Read(ref _lastDerived));
            if (reached > watermark)
                index.ReplaceTracesAsync([], [], reached, cancellationToken).GetAwaiter().GetResult();
            Volatile.Write(ref _caughtUp, true);
        }
        Progress.Finish();
        if (!following)
            logger.LogInformation("Search index: derived up to commit {Sequence}.", Math.Max(target, Volatile.Read(ref _lastDerived)));
    }

    private async Task<long> SpansPastAsync(long watermark, CancellationToken cancellationToken)
    {
        if (watermark == 0)
            return (await store.GetStatisticsAsync(cancellationToken).ConfigureAwait(false)).SpanCount;
        return -1;
    }

    /// <summary>Derives the traces of a commit's records; with <paramref name="pageIsStored"/>, of records read from the
    /// store, which this process may not have seen: their traces are read back, none taken from the cache.</summary>
    private async Task DeriveAsync(IReadOnlyList<SpanRecord> spans, IReadOnlyList<LogRecord> logs, IReadOnlySet<UInt128> newTraces, long? watermark,
        CancellationToken cancellationToken, bool pageIsStored = false)
    {
        (spans, logs) = (_retained.Spans(spans), _retained.Logs(logs));
        var traces = new Dictionary<UInt128, CachedTrace>();
        var readSpans = new HashSet<UInt128>();
        var readLogs = new HashSet<UInt128>();
        var spansByTrace = spans.ToLookup(s => s.TraceId);
        foreach (var traceId in spans.Select(s => s.TraceId).Concat(logs.Select(l => l.TraceId)))
        {
            if (traceId == UInt128.Zero || traces.ContainsKey(traceId))
                continue;
            // A cached trace holds every stored log within its window: one whose new spans reach outside it is read again.
            // It lacks what was stored by commits this process did not derive live (a crash, another process).
            if (!pageIsStored && _cache.TryGet(traceId, out var cached) && cached.LogsCover(spansByTrace[traceId], LogMarginNanos))
            {
                traces[traceId] = cached;
                continue;
            }
            traces[traceId] = new CachedTrace(traceId);
            // Reading back gives the records of this commit too; for a trace first stored now, they are all there is.
            readLogs.Add(traceId);
            if (!newTraces.Contains(traceId))
                readSpans.Add(traceId);
        }
        if (traces.Count == 0)
        {
            if (watermark is not null)
                await index.ReplaceTracesAsync([], [], watermark, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!pageIsStored)
        {
            foreach (var span in spans)
            {
                if (!readSpans.Contains(span.TraceId))
                    traces[span.TraceId].Spans.TryAdd(span.SpanId, span);
            }
            foreach (var log in logs)
            {
                if (log.TraceId != UInt128.Zero && !readLogs.Contains(log.TraceId))
                    traces[log.TraceId].Logs.Add(log);
            }
        }
        if (readSpans.Count > 0)
        {
            var stored = await store.GetTracesAsync(readSpans, cancellationToken).ConfigureAwait(false);
            foreach (var (traceId, traceSpans) in stored)
            {
                foreach (var span in traceSpans)
                    traces[traceId].Spans.TryAdd(span.SpanId, span);
            }
        }
        if (readLogs.Count > 0)
            await ReadLogsAsync([.. readLogs.Select(t => traces[t])], logs, cancellationToken).ConfigureAwait(false);

        // Only the invocations holding a span or the span of a log of this write changed: the others keep their rows.
        var touchedSpans = spans.Select(s => (s.TraceId, s.SpanId)).Concat(logs.Where(l => l.SpanId != 0).Select(l => (l.TraceId, l.SpanId))).ToHashSet();
        var rows = new List<SearchInvocationRow>();
        var removed = new List<(UInt128, ulong)>();
        var storedFrom = long.MaxValue;
        var invocations = engine.FindByTraceIds([.. traces.Values.Where(t => t.Spans.Count > 0).Select(t => t.TraceId)]);
        foreach (var trace in traces.Values)
        {
            if (trace.Spans.Count == 0)
                continue;
            var changed = invocations[trace.TraceId]
                .Where(i => _retained.Keeps(i.StartTimeUnixNano) && i.SpanIds.Any(id => touchedSpans.Contains((trace.TraceId, id)))).ToList();
            if (changed.Count == 0)
                continue;
            rows.AddRange(builder.Build(changed, trace.Spans, trace.Logs));
            // A trace first stored in this write has no rows yet; in another, a span that was the root of an invocation
            // of its own before this write is now in a changed one: its row goes.
            if (newTraces.Contains(trace.TraceId))
                continue;
            foreach (var invocation in changed)
                removed.AddRange(invocation.SpanIds.Select(id => (trace.TraceId, id)));
            // An old row started with its root span, one of the changed invocations' spans now.
            foreach (var invocation in changed)
            {
                storedFrom = Math.Min(storedFrom, invocation.StartTimeUnixNano);
                foreach (var id in invocation.SpanIds)
                {
                    if (trace.Spans.TryGetValue(id, out var span))
                        storedFrom = Math.Min(storedFrom, span.StartTimeUnixNano);
                }
            }
        }
        await index.ReplaceTracesAsync(new SearchIndexWrite(rows, watermark)
        {
            Invocations = removed,
            NewTraces = newTraces,
            StoredFromUnixNano = storedFrom == long.MaxValue ? long.MinValue : storedFrom,
        }, cancellationToken).ConfigureAwait(false);
        foreach (var trace in traces.Values)
            _cache.Put(trace);
    }

    /// <summary>
    /// The stored logs of the traces, in one query over the time their spans and this commit's logs cover (with the
    /// margin); each trace then holds every stored log of that window.
    /// </summary>
    private async Task ReadLogsAsync(List<CachedTrace> traces, IReadOnlyList<LogRecord> committedLogs, CancellationToken cancellationToken)
    {
        var ids = traces.Select(t => t.TraceId).ToHashSet();
        var times = traces.SelectMany(t => t.Spans.Values.SelectMany(s => new[] { s.StartTimeUnixNano, s.EndTimeUnixNano }))
            .Concat(committedLogs.Where(l => ids.Contains(l.TraceId)).Select(l => l.TimeUnixNano))
            .ToList();
        if (times.Count == 0)
            return;
        var (from, to) = (times.Min() - LogMarginNanos, times.Max() + LogMarginNanos);
        var byTrace = traces.ToDictionary(t => t.TraceId);
        foreach (var log in await store.FindLogsAsync(new LogQuery { TraceIds = ids, FromUnixNano = from, ToUnixNano = to, Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false))
            byTrace[log.TraceId].Logs.Add(log);
        foreach (var trace in traces)
            trace.LogsRead(from, to);
    }
}

/// <summary>How far the search index's background derivation is (for the log and the health answer).</summary>
public sealed class SearchProgress
{
    private long _done;
    private long _total = -1;
    private volatile string _state = "idle";

    /// <summary><c>idle</c> (not started), <c>deriving</c>, <c>done</c> or <c>failed</c>.</summary>
    public string State => _state;

    public long SpansDone => Interlocked.Read(ref _done);

    /// <summary>Spans to derive when known (a first derivation of a whole store); -1 otherwise.</summary>
    public long SpansTotal => Interlocked.Read(ref _total);

    internal void Start(long total)
    {
        Interlocked.Exchange(ref _total, total);
        _state = "deriving";
    }

    internal void Advance(int spans) => Interlocked.Add(ref _done, spans);

    internal void Finish() => _state = "done";

    internal void Fail() => _state = "failed";
}
