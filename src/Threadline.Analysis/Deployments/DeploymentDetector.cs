using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Deployments;

/// <summary>
/// A deployment is the first invocation of a release (version, plus the code hash when sent) of a function other than
/// the first release seen. A <b>rollback</b> is a release seen before becoming current again: it takes over only when
/// the next <c>settle</c> invocations of the function all run it, so the mix of old and new containers during a
/// rollout (or a canary split) is not read as deployments back and forth. Recorded deployments are merged in: for the
/// same function and version the recorded time wins.
/// </summary>
public static class DeploymentDetector
{
    public static IReadOnlyList<Deployment> Detect(IAnalysisView view, IReadOnlyList<Deployment> recorded, int settle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settle, 1);
        var all = new List<Deployment>();
        foreach (var function in view.Functions)
            all.AddRange(DetectIn(function, view.OfFunction(function), settle));
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

    private static IEnumerable<Deployment> DetectIn(string function, IReadOnlyList<AnalyzedInvocation> invocations, int settle)
    {
        var seen = new HashSet<string>();
        string? current = null;
        for (var i = 0; i < invocations.Count; i++)
        {
            if (invocations[i].Release is not { } release || release == current)
                continue;
            if (seen.Add(release))
            {
                if (current is not null)
                    yield return new Deployment(function, release, invocations[i].Start, current, Recorded: false);
                current = release;
            }
            else if (current is not null && TakesOver(invocations, i, release, settle))
            {
                yield return new Deployment(function, release, invocations[i].Start, current, Recorded: false) { Rollback = true };
                current = release;
            }
        }
    }

    /// <summary>Whether the next <paramref name="settle"/> invocations that carry a release (from <paramref name="start"/> on) all run it.</summary>
    private static bool TakesOver(IReadOnlyList<AnalyzedInvocation> invocations, int start, string release, int settle)
    {
        var counted = 0;
        for (var i = start; i < invocations.Count && counted < settle; i++)
        {
            if (invocations[i].Release is not { } other)
                continue;
            if (other != release)
                return false;
            counted++;
        }
        return counted == settle;
    }
}
