using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Deployments;

/// <summary>
/// A deployment is the first invocation of a release (version, plus the code hash when sent) of a function other than
/// the first release seen. Recorded deployments are merged in: for the same function and version the recorded time
/// wins. A rollback to a release seen before is not detected (record it).
/// </summary>
public static class DeploymentDetector
{
    public static IReadOnlyList<Deployment> Detect(IAnalysisView view, IReadOnlyList<Deployment> recorded)
    {
        var all = new List<Deployment>();
        foreach (var function in view.Functions)
        {
            var seen = new HashSet<string>();
            string? previous = null;
            foreach (var invocation in view.OfFunction(function))
            {
                if (invocation.Release is not { } release || !seen.Add(release))
                    continue;
                if (previous is not null)
                    all.Add(new Deployment(function, release, invocation.Start, previous, Recorded: false));
                previous = release;
            }
        }
        var recordedKeys = recorded.Select(r => (r.Function, r.Version)).ToHashSet();
        return [.. all.Where(d => !recordedKeys.Contains((d.Function, d.Version)))
            .Concat(recorded.Select(r => r with { PreviousVersion = all.FirstOrDefault(d => d.Function == r.Function && d.Version == r.Version)?.PreviousVersion }))
            .OrderBy(d => d.Time).ThenBy(d => d.Function, StringComparer.Ordinal)];
    }
}
