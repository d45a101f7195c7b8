using Threadline.Analysis.Ingest;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Deployments;

/// <summary>
/// A deployment is the first invocation of a release (version, plus the code hash when sent) of a function other than
/// the first release seen. A <b>rollback</b> is a release seen before becoming current again: it takes over only when
/// the next <c>settle</c> invocations of the function all run it, so the mix of old and new containers during a
/// rollout (or a canary split) is not read as deployments back and forth. Recorded deployments are merged in: for the
/// same function and version the recorded time wins. Detection reads the runs of releases in the range (consecutive
/// invocations with the same release): a rollback takes over exactly when its run is at least <c>settle</c> long.
/// </summary>
public static class DeploymentDetector
{
    public static IReadOnlyList<Deployment> Detect(IAnalysisView view, IReadOnlyList<Deployment> recorded, int settle, TimeRange range)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settle, 1);
        var all = new List<Deployment>();
        foreach (var runs in StoreAnalysisView.Wait(view.Store.ListReleaseRunsAsync(null, range, CancellationToken.None)).GroupBy(r => r.Function))
            all.AddRange(DetectIn(runs.Key, [.. runs], settle));
        var recordedTimes = recorded.ToDictionary(r => (r.Function, r.Version), r => r.Time);
        return [.. all.Where(d => !recordedTimes.TryGetValue((d.Function, d.Version), out var time) || (d.Rollback && !SameEvent(time, d.Time)))
            .Concat(recorded.Select(r => r with
            {
                PreviousVersion = all.FirstOrDefault(d => d.Function == r.Function && d.Version == r.Version && SameEvent(r.Time, d.Time))?.PreviousVersion
                    ?? all.FirstOrDefault(d => d.Function == r.Function && d.Version == r.Version && !d.Rollback)?.PreviousVersion,
                Rollback = all.Any(d => d.Function == r.Function && d.Version == r.Version && d.Rollback && SameEvent(r.Time, d.Time)),
            }))
            .OrderBy(d => d.Time).ThenBy(d => d.Function, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A recorded deployment stands for a detected one of the same release when they are this close: a release
    /// recorded by a CI job and seen in the spans a few minutes later is one event, not two.
    /// </summary>
    private static readonly TimeSpan SameEventTolerance = TimeSpan.FromMinutes(30);

    private static bool SameEvent(DateTimeOffset a, DateTimeOffset b) => (a - b).Duration() <= SameEventTolerance;

    private static IEnumerable<Deployment> DetectIn(string function, IReadOnlyList<ReleaseRun> runs, int settle)
    {
        var seen = new HashSet<string>();
        string? current = null;
        foreach (var run in runs)
        {
            if (run.Release == current)
                continue;
            var start = Time.FromUnixNanos(run.FirstStartUnixNano);
            if (seen.Add(run.Release))
            {
                if (current is not null)
                    yield return new Deployment(function, run.Release, start, current, Recorded: false);
                current = run.Release;
            }
            else if (current is not null && run.Invocations >= settle)
            {
                // The next settle invocations carrying a release all run it: the run is that long.
                yield return new Deployment(function, run.Release, start, current, Recorded: false) { Rollback = true };
                current = run.Release;
            }
        }
    }
}
