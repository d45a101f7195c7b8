using OpenTelemetry;

namespace Threadline.Tracer.Benchmarks.Support;

/// <summary>Drops everything: the benchmarks measure recording, not the network.</summary>
public sealed class DiscardExporter<T> : BaseExporter<T>
    where T : class
{
    public override ExportResult Export(in Batch<T> batch) => ExportResult.Success;
}
