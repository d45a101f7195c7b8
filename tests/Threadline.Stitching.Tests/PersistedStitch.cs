using Threadline.Stitching.Persistence;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Stitching;
using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>
/// A stitch engine over <see cref="PersistentStitchState"/> on a real DuckDB file in a temporary folder, fed and
/// committed the way the server does (ingest, then commit with the batch's watermark), and restartable: a restart
/// drops everything in memory and opens the same file again.
/// </summary>
internal sealed class PersistedStitch : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "threadline-stitch-tests", Guid.NewGuid().ToString("n"));
    private readonly int _cacheTraces;
    private readonly TimeProvider? _time;
    private DuckDbStitchStore _store;
    private long _watermark;

    public PersistedStitch(int cacheTraces, TimeProvider? time = null)
    {
        (_cacheTraces, _time) = (cacheTraces, time);
        _store = DuckDbStitchStore.Open(new DuckDbStoreOptions { DataDirectory = _folder });
        (State, Engine) = Create();
    }

    public PersistentStitchState State { get; private set; }

    public DuckDbStitchStore Store => _store;

    public StitchEngine Engine { get; private set; }

    public long Watermark => State.ReadWatermark();

    public void Ingest(IReadOnlyList<SpanRecord> spans)
    {
        Engine.Ingest(spans);
        State.Commit(++_watermark);
    }

    public void Forget(long cutoffUnixNano)
    {
        Engine.ForgetSpansStartedBefore(cutoffUnixNano);
        State.Commit(null);
    }

    public async Task RestartAsync()
    {
        await _store.DisposeAsync();
        _store = DuckDbStitchStore.Open(new DuckDbStoreOptions { DataDirectory = _folder });
        (State, Engine) = Create();
    }

    private (PersistentStitchState, StitchEngine) Create()
    {
        var state = new PersistentStitchState(_store, _cacheTraces);
        return (state, new StitchEngine(state, _time));
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
