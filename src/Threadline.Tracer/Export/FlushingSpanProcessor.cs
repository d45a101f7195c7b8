using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using Threadline.Tracer.Diagnostics;

namespace Threadline.Tracer.Export;

/// <summary>
/// Keeps the spans of the current invocation and exports them when the invocation flushes, on one export
/// thread, signalling the flusher as soon as the exporter returns. (The SDK's batch processor signals with a
/// pulse that a flusher arriving late misses, so a flush could wait its whole timeout.) Bounded: while the
/// endpoint is slow, at most <see cref="MaxQueued"/> spans wait; more are dropped.
/// </summary>
internal sealed class FlushingSpanProcessor : BaseExportProcessor<Activity>
{
    public const int MaxQueued = 8192;
    private readonly Lock _gate = new();
    private readonly BlockingCollection<PendingExport> _exports = new();
    private readonly Thread _thread;
    private List<Activity> _current = [];
    private int _queued;

    public FlushingSpanProcessor(BaseExporter<Activity> exporter)
        : base(exporter)
    {
        _thread = new Thread(ExportLoop) { IsBackground = true, Name = "Threadline-export" };
        NoFlow.Run(() =>
        {
            _thread.Start();
            return 0;
        });
    }

    protected override void OnExport(Activity data)
    {
        lock (_gate)
        {
            if (_queued >= MaxQueued)
                return;
            _current.Add(data);
            _queued++;
        }
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        List<Activity> batch;
        lock (_gate)
        {
            if (_current.Count == 0)
                return true;
            batch = _current;
            _current = [];
        }
        var pending = new PendingExport(batch);
        try
        {
            _exports.Add(pending);
        }
        catch (InvalidOperationException)
        {
            return false; // shut down
        }
        return pending.Done.Wait(timeoutMilliseconds);
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var flushed = OnForceFlush(timeoutMilliseconds);
        _exports.CompleteAdding();
        return exporter.Shutdown(timeoutMilliseconds) && flushed;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_exports.IsAddingCompleted)
            _exports.CompleteAdding();
        base.Dispose(disposing);
    }

    private void ExportLoop()
    {
        foreach (var pending in _exports.GetConsumingEnumerable())
        {
            var items = pending.Spans.ToArray();
            Guard.Run("export.spans", () => exporter.Export(new Batch<Activity>(items, items.Length)));
            lock (_gate)
                _queued -= items.Length;
            pending.Done.Set();
        }
    }

    private sealed record PendingExport(List<Activity> Spans)
    {
        public ManualResetEventSlim Done { get; } = new();
    }
}
