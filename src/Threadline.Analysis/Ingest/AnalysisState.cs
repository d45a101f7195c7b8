using Threadline.Analysis.Configuration;
using Threadline.Stitching;
using Threadline.Storage;
using Threadline.Storage.Derived.Analysis;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// The analysis' derived state, kept in the store (<see cref="IAnalysisStore"/>). Each commit of spans is derived on
/// the writer loop before its senders are answered: every trace it touches is analyzed again from the stitcher's
/// invocations of that trace and the details of all its spans (from a bounded cache of recent traces, else read back
/// from the span store in one batched query), and the trace's invocations are written with the commit's sequence as
/// the watermark, in one transaction. So the answer does not depend on arrival order, and a read (a store query,
/// never waiting on the writer) sees every acknowledged span. At start, <see cref="CatchUpAsync"/> derives in the
/// background whatever was committed past the watermark.
/// </summary>
public sealed class AnalysisState
{
    private readonly StitchEngine _engine;
    private readonly SpanDetailsReader _reader;
    private readonly InvocationAnalyzer _analyzer;
    private readonly IAnalysisStore _store;
    private readonly ITelemetryStore _spans;
    private readonly SpanDetailsCache _cache;
    private readonly Lock _gate = new();
    private readonly RetentionFloor _retained = new();
    // While the start's catch-up runs, live derivations keep the watermark where the catch-up began (a crash then
    // re-derives from there); the catch-up sets it past both when it ends.
    private bool _catchingUp;
    private long _catchUpFrom;
    private long _lastLive;
    // After a live derivation failed, later ones keep the watermark before it, so the next start derives it again.
    private long? _heldWatermark;
    private long _lastWritten;

    public AnalysisState(StitchEngine engine, SpanDetailsReader reader, InvocationAnalyzer analyzer, IAnalysisStore store, ITelemetryStore spans,
        AnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_engine, _reader, _analyzer, _store, _spans) = (engine, reader, analyzer, store, spans);
        _cache = new SpanDetailsCache(options.DetailsCacheTraces);
        Time = options.Time;
    }

    public StitchEngine Engine => _engine;

    public IAnalysisStore Store => _store;

    public TimeProvider Time { get; }

    /// <summary>The start's background derivation: state, spans derived and spans to derive.</summary>
    public DerivationStatus Derivation { get; private set; } = DerivationStatus.Idle;

    /// <summary>Derives the spans of one committed write (sequence <paramref name="sequence"/>); on the writer loop.</summary>
    /// <param name="newTraces">Traces known to have no span stored before this write (none is read back).</param>
    public void DeriveCommitted(IReadOnlyList<SpanRecord> spans, long sequence, IReadOnlySet<UInt128>? newTraces = null)
    {
        lock (_gate)
        {
            _lastLive = Math.Max(_lastLive, sequence);
            var watermark = _heldWatermark ?? (_catchingUp ? _catchUpFrom : sequence);
            try
            {
                Derive(spans, watermark, newTraces);
            }
            catch
            {
                _heldWatermark ??= _catchingUp ? _catchUpFrom : _lastWritten;
                throw;
            }
            _lastWritten = Math.Max(_lastWritten, watermark);
        }
    }

    /// <summary>
    /// Commits without spans up to <paramref name="sequence"/> were derived (there is nothing to analyze in them): the
    /// watermark moves there, unless a failure or the start's catch-up holds it.
    /// </summary>
    public void AdvanceWatermark(long sequence)
    {
        lock (_gate)
        {
            _lastLive = Math.Max(_lastLive, sequence);
            if (_heldWatermark is not null || _catchingUp || sequence <= _lastWritten)
                return;
            _store.WriteAsync(new AnalysisDelta([], [], sequence), CancellationToken.None).GetAwaiter().GetResult();
            _lastWritten = sequence;
        }
    }

    /// <summary>
    /// Derives every span committed past the stored watermark, page by page, while live commits go on being derived;
    /// then moves the watermark past both. Pages take the derivation lock one at a time, so live ingest waits at most
    /// one page.
    /// </summary>
    public async Task CatchUpAsync(int pageSize, CancellationToken cancellationToken)
    {
        var from = await _store.GetWatermarkAsync(cancellationToken).ConfigureAwait(false);
        var through = _spans.LastCommitSequence;
        if (through <= from)
        {
            Derivation = DerivationStatus.Done(0, 0);
            return;
        }
        lock (_gate)
            (_catchingUp, _catchUpFrom, _lastWritten) = (true, from, from);
        long total = from == 0 ? (await _spans.GetStatisticsAsync(cancellationToken).ConfigureAwait(false)).SpanCount : 0;
        long done = 0;
        Derivation = new DerivationStatus("deriving", 0, total == 0 ? null : total);
        try
        {
            await foreach (var page in _spans.ScanSpansCommittedAfterAsync(from, pageSize, cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                    Derive(page, from);
                done += page.Count;
                Derivation = new DerivationStatus("deriving", done, total == 0 ? null : Math.Max(total, done));
            }
            lock (_gate)
            {
                var watermark = _heldWatermark ?? Math.Max(through, _lastLive);
                _store.WriteAsync(new AnalysisDelta([], [], watermark), CancellationToken.None).GetAwaiter().GetResult();
                (_catchingUp, _lastWritten) = (false, watermark);
            }
            Derivation = DerivationStatus.Done(done, done);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            Derivation = new DerivationStatus("failed", done, total == 0 ? null : total);
            throw;
        }
    }

    /// <summary>
    /// Retention deleted every span that started before the cutoff (and the stitcher forgot them): their invocations
    /// leave the store, and the cached traces holding such spans are read back when next touched.
    /// </summary>
    public void ForgetSpansStartedBefore(long cutoffUnixNano)
    {
        lock (_gate)
        {
            _retained.Raise(cutoffUnixNano);
            _cache.ForgetStartedBefore(cutoffUnixNano);
            _store.DeleteStartedBeforeAsync(cutoffUnixNano, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>The caller holds the gate. The store calls complete synchronously for DuckDB; a remote backend blocks the writer loop here by design (the commit is not answered before it is derived).</summary>
    private void Derive(IReadOnlyList<SpanRecord> spans, long watermark, IReadOnlySet<UInt128>? newTraces = null)
    {
        if (spans.Count == 0)
            return;
        spans = _retained.Spans(spans);
        if (spans.Count == 0)
        {
            // Every span was deleted meanwhile: nothing to analyze, but the commit is derived.
            _store.WriteAsync(new AnalysisDelta([], [], watermark), CancellationToken.None).GetAwaiter().GetResult();
            return;
        }
        var traces = _cache.Collect(spans, _reader, newTraces,
            missing => _spans.GetTracesAsync(missing, CancellationToken.None).GetAwaiter().GetResult());
        var rows = new List<AnalyzedInvocationRow>();
        // Every invocation stored for these traces started at one of their spans: none before the earliest.
        var earliest = long.MaxValue;
        var invocations = _engine.FindByTraceIds([.. traces.Keys]);
        foreach (var (traceId, details) in traces)
        {
            // The stitcher forgets after the analysis: a catch-up page between them must not bring a deleted invocation back.
            foreach (var invocation in invocations[traceId].Where(i => _retained.Keeps(i.StartTimeUnixNano)))
                rows.Add(AnalysisRows.ToRow(_analyzer.Analyze(invocation, details)));
            foreach (var span in details.Values)
                earliest = Math.Min(earliest, span.StartTimeUnixNano);
        }
        _store.WriteAsync(new AnalysisDelta(traces.Keys, rows, watermark, earliest), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Runs a read; each read is store queries on a reader connection of its own.</summary>
    public T Read<T>(Func<IAnalysisView, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read(new StoreAnalysisView(this));
    }
}

/// <summary>Where the start's background derivation is: <c>idle</c>, <c>deriving</c>, <c>done</c> or <c>failed</c>.</summary>
public sealed record DerivationStatus(string State, long SpansDone, long? SpansTotal)
{
    public static readonly DerivationStatus Idle = new("idle", 0, null);

    public static DerivationStatus Done(long done, long total) => new("done", done, total);
}
