using System.Collections.Concurrent;
using OpenTelemetry;

namespace Threadline.Tracer.Tests.Support;

/// <summary>Keeps every exported item (spans or log records) in memory; tests can await an expected item.</summary>
public sealed class CollectingExporter<T> : BaseExporter<T>
    where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly SemaphoreSlim _exported = new(0);

    public IReadOnlyList<T> Items => [.. _items];

    public override ExportResult Export(in Batch<T> batch)
    {
        foreach (var item in batch)
            _items.Enqueue(item);
        _exported.Release();
        return ExportResult.Success;
    }

    /// <summary>Waits for an export that contains a matching item (the timeout only bounds a failing test).</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = _items.FirstOrDefault(match);
            if (found is not null)
                return found;
            await _exported.WaitAsync(timeout.Token);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _exported.Dispose();
        base.Dispose(disposing);
    }
}
