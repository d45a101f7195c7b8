using System.Diagnostics;
using Threadline.Stitching;
using Threadline.Storage;

namespace Threadline.Server.Stitch;

/// <summary>
/// The stitch engine keeps its state in memory, so at start it is rebuilt from every stored span (the engine's
/// answer does not depend on order or batching). This costs a scan of the store at start; persisting the
/// engine's state in the store is the way to avoid it when stores grow large.
/// </summary>
internal static partial class StitchRebuilder
{
    private const int PageSize = 10_000;

    public static async Task RebuildAsync(ITelemetryStore store, StitchEngine engine, ILogger logger, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long spans = 0;
        await foreach (var page in store.ScanSpansAsync(PageSize, cancellationToken).ConfigureAwait(false))
        {
            engine.Ingest(page);
            spans += page.Count;
        }
        if (spans > 0)
            LogRebuilt(logger, spans, clock.Elapsed.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt transactions from {Spans} stored spans in {Seconds:F1} s")]
    private static partial void LogRebuilt(ILogger logger, long spans, double seconds);
}
