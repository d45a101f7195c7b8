using System.Diagnostics;
using Threadline.Storage;

namespace Threadline.Server.Stitch;

/// <summary>
/// For the committed-batch observers that still keep their state only in memory (those that implement
/// <see cref="ICommittedBatchObserver.OnReplayed"/>), every stored span is read back once at start and replayed
/// to them page by page. The stitcher is not one of them (its state is in the store); when no observer needs the
/// replay, nothing is read.
/// </summary>
internal static partial class StitchRebuilder
{
    private const int PageSize = 10_000;

    /// <summary>The observers whose class implements <see cref="ICommittedBatchObserver.OnReplayed"/> (the interface's default does nothing).</summary>
    public static List<ICommittedBatchObserver> NeedingReplay(IEnumerable<ICommittedBatchObserver> observers) =>
    [
        .. observers.Where(o =>
        {
            var map = o.GetType().GetInterfaceMap(typeof(ICommittedBatchObserver));
            var replay = Array.FindIndex(map.InterfaceMethods, m => m.Name == nameof(ICommittedBatchObserver.OnReplayed));
            return map.TargetMethods[replay].DeclaringType != typeof(ICommittedBatchObserver);
        }),
    ];

    public static async Task RebuildAsync(ITelemetryStore store, IReadOnlyList<ICommittedBatchObserver> observers, ILogger logger, CancellationToken cancellationToken)
    {
        if (observers.Count == 0)
            return;
        var clock = Stopwatch.StartNew();
        long spans = 0;
        await foreach (var page in store.ScanSpansAsync(PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var observer in observers)
                observer.OnReplayed(page);
            spans += page.Count;
        }
        if (spans > 0)
            LogRebuilt(logger, spans, clock.Elapsed.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Spans} stored spans to the observers that keep their state in memory in {Seconds:F1} s")]
    private static partial void LogRebuilt(ILogger logger, long spans, double seconds);
}
