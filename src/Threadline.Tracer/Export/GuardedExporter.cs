using OpenTelemetry;
using Threadline.Tracer.Diagnostics;

namespace Threadline.Tracer.Export;

/// <summary>
/// Runs an exporter so that it can never throw on the export thread (an unhandled exception there would end
/// the process, and with it the function): a throw becomes a failed export.
/// </summary>
internal sealed class GuardedExporter<T>(BaseExporter<T> inner) : BaseExporter<T>
    where T : class
{
    public override ExportResult Export(in Batch<T> batch)
    {
        var items = batch;
        return Guard.Get("export", () => inner.Export(items), ExportResult.Failure);
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) =>
        Guard.Get("export.flush", () => inner.ForceFlush(timeoutMilliseconds), false);

    protected override bool OnShutdown(int timeoutMilliseconds) =>
        Guard.Get("export.shutdown", () => inner.Shutdown(timeoutMilliseconds), false);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Guard.Run("export.dispose", inner.Dispose);
        base.Dispose(disposing);
    }
}
