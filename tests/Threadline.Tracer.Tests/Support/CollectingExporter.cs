using System.Collections.Concurrent;
using OpenTelemetry;

namespace Threadline.Tracer.Tests.Support;

/// <summary>Keeps every exported item (spans or log records) in memory.</summary>
public sealed class CollectingExporter<T> : BaseExporter<T>
    where T : class
{
    private readonly ConcurrentQueue<T> _items = new();

    public IReadOnlyList<T> Items => [.. _items];

    public override ExportResult Export(in Batch<T> batch)
    {
        foreach (var item in batch)
            _items.Enqueue(item);
        return ExportResult.Success;
    }
}
