using System.Diagnostics;
using Threadline.Storage;

namespace Threadline.Server.Stitch;

/// <summary>
/// The stitch engine and the analysis keep their state in memory, so at start every stored span is read back once
/// and replayed to the committed-batch observers in registration order (the stitcher first), page by page (their
/// answers do not depend on order or batching). This costs a scan of the store at start; persisting the derived state
/// in the store is the way to avoid it when stores grow large.
/// </summary>
internal static partial class StitchRebuilder
{
    private const int PageSize = 10_000;

    public static async Task RebuildAsync(ITelemetryStore store, IEnumerable<ICommittedBatchObserver> observers, ILogger logger, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var replayed = observers.ToList();
        long spans = 0;
        await foreach (var page in store.ScanSpansAsync(PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var observer in replayed)
                observer.OnReplayed(page);
            spans += page.Count;
        }
        if (spans > 0)
            LogRebuilt(logger, spans, clock.Elapsed.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt transactions and analysis from {Spans} stored spans in {Seconds:F1} s")]
    private static partial void LogRebuilt(ILogger logger, long spans, double seconds);
}
