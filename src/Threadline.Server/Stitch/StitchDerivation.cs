using Threadline.Server.Derivation;
using Threadline.Stitching;
using Threadline.Stitching.Persistence;
using Threadline.Storage;
using Threadline.Storage.Derived.Stitching;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Server.Stitch;

/// <summary>
/// The stitcher of the server: a <see cref="StitchEngine"/> over the stitch state kept in the store
/// (<see cref="PersistentStitchState"/>). Every derivation (a committed write on the writer loop, a page of the
/// start's catch-up, a retention pass) runs under one lock and commits its delta in one store transaction; the
/// engine's queries read the committed state without that lock. The watermark (the highest span commit sequence
/// derived) moves with a live write only while nothing before it is missing: when the start finds spans past the
/// watermark, or a live derivation fails, the watermark stays until <see cref="CatchUpAsync"/> has derived everything
/// committed after it, so a crash at any point is repaired at the next start.
/// </summary>
public sealed partial class StitchDerivation : IDerivationProgress
{
    private const int PageSize = 1_000;

    private readonly ITelemetryStore _spans;
    private readonly PersistentStitchState _state;
    private readonly ILogger<StitchDerivation> _logger;
    private readonly Lock _derive = new();
    private readonly RetentionFloor _retained = new();
    private long _lastLive;
    private long _liveFailures;
    private bool _behind;
    private volatile string _status = "idle";
    private long _spansDone;
    private long? _spansTotal;
    private static readonly IReadOnlySet<UInt128> EmptyTraces = new HashSet<UInt128>();
    private (long Sequence, IReadOnlySet<UInt128> Traces) _firstStored = (0, EmptyTraces);
    private readonly TaskCompletionSource _firstCatchUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="cacheTraces">The stitcher's cache window (<see cref="ThreadlineServerOptions.StitchCacheTraces"/>).</param>
    /// <param name="readersFillCache">False in a process that reads what another derives (see <see cref="PersistentStitchState"/>).</param>
    public StitchDerivation(ITelemetryStore spans, IStitchStore store, int cacheTraces, ILogger<StitchDerivation> logger, bool readersFillCache = true)
    {
        _spans = spans;
        _logger = logger;
        _state = new PersistentStitchState(store, cacheTraces, readersFillCache);
        Engine = new StitchEngine(_state);
    }

    public StitchEngine Engine { get; }

    /// <summary>
    /// Completes when the start's first catch-up has ended (done, or failed: it is retried later): derivations that
    /// read the stitcher's invocations (the analysis) must not derive past what the stitcher has derived.
    /// </summary>
    public Task FirstCatchUp => _firstCatchUp.Task;

    public string Part => "stitching";

    public DerivationPartResponse Current => new(Part, _status, Interlocked.Read(ref _spansDone), _spansTotal);

    /// <summary>Whether spans committed past the watermark are still to be derived (or were, until a failure).</summary>
    public bool Behind
    {
        get
        {
            lock (_derive)
                return _behind;
        }
    }

    /// <summary>Derives one committed write on the writer loop; its sequence becomes the watermark when nothing before it is missing.</summary>
    public StitchResult DeriveCommitted(IReadOnlyList<SpanRecord> spans, long sequence)
    {
        lock (_derive)
        {
            try
            {
                var result = Engine.Ingest(_retained.Spans(spans));
                _state.Commit(_behind ? null : sequence);
                _lastLive = Math.Max(_lastLive, sequence);
                // Behind the stored spans, a trace the stitcher has not seen may have spans stored before: unknown.
                _firstStored = (sequence, _behind ? EmptyTraces : result.NewTraces);
                return result;
            }
            catch
            {
                _state.Discard();
                _behind = true;
                _liveFailures++;
                throw;
            }
        }
    }

    /// <summary>
    /// The traces of which no span was stored before the write of <paramref name="sequence"/>, when that is the write the
    /// stitcher derived last and nothing before it was missing (else none): the analysis then reads no span back for them.
    /// </summary>
    public IReadOnlySet<UInt128> TracesFirstStoredIn(long sequence)
    {
        lock (_derive)
            return _firstStored.Sequence == sequence ? _firstStored.Traces : EmptyTraces;
    }

    /// <summary>Retention deleted the spans that started before the cutoff: the stitch state follows (in its own transaction).</summary>
    public void ForgetSpansStartedBefore(long cutoffUnixNano)
    {
        lock (_derive)
        {
            try
            {
                _retained.Raise(cutoffUnixNano);
                Engine.ForgetSpansStartedBefore(cutoffUnixNano);
                _state.Commit(null);
            }
            catch
            {
                _state.Discard();
                throw;
            }
        }
    }

    /// <summary>
    /// Derives every span committed past the stored watermark, page by page (live writes derive meanwhile, between
    /// pages), then moves the watermark to the last commit derived. Repeats when a live derivation failed meanwhile.
    /// </summary>
    /// <param name="following">The derive role's loop, round after round: nothing worth a log line each time.</param>
    public async Task CatchUpAsync(CancellationToken cancellationToken, bool following = false)
    {
        while (true)
        {
            long failures, watermark, target;
            lock (_derive)
            {
                failures = _liveFailures;
                watermark = _state.ReadWatermark();
                target = _spans.LastCommitSequence;
                if (watermark >= target && !_behind)
                {
                    if (_status == "idle")
                        _status = "done";
                    _firstCatchUp.TrySetResult();
                    return;
                }
                _behind = true;
            }
            _status = "deriving";
            _spansTotal = watermark == 0 ? (await _spans.GetStatisticsAsync(cancellationToken).ConfigureAwait(false)).SpanCount : null;
            if (!following)
                LogCatchingUp(watermark, target);
            try
            {
                await foreach (var page in _spans.ScanSpansCommittedAfterAsync(watermark, PageSize, cancellationToken).ConfigureAwait(false))
                {
                    lock (_derive)
                    {
                        try
                        {
                            Engine.Ingest(_retained.Spans(page));
                            _state.Commit(null);
                        }
                        catch
                        {
                            _state.Discard();
                            throw;
                        }
                    }
                    Interlocked.Add(ref _spansDone, page.Count);
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _status = "failed";
                _firstCatchUp.TrySetResult();
                throw;
            }
            lock (_derive)
            {
                if (_liveFailures == failures)
                {
                    _state.Commit(Math.Max(target, _lastLive));
                    _behind = false;
                    _status = "done";
                    _firstCatchUp.TrySetResult();
                    if (!following)
                        LogCaughtUp(Interlocked.Read(ref _spansDone), Math.Max(target, _lastLive));
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stitching the spans committed after {Watermark} (up to {Target} at least) in the background")]
    private partial void LogCatchingUp(long watermark, long target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stitched {Spans} stored spans past the watermark; the watermark is now {Watermark}")]
    private partial void LogCaughtUp(long spans, long watermark);
}
