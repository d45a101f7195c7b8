using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Issues;

/// <summary>
/// Builds issues from the failed invocations and keeps the owner's resolutions. State: resolved at R and an
/// occurrence starting after R → regressed (from that occurrence), else resolved; never resolved → new while first
/// seen within <see cref="AnalysisOptions.NewIssueWindow"/>, ongoing after.
/// </summary>
public sealed class IssueTracker(AnalysisOptions options, ResolutionStore resolutions)
{
    public Issue? Get(IAnalysisView view, string id)
    {
        var occurrences = view.OfIssue(id);
        return occurrences.Count == 0 ? null : Build(id, occurrences);
    }

    public IReadOnlyList<Issue> All(IAnalysisView view) =>
        [.. view.IssueIds.Select(id => Build(id, view.OfIssue(id))).OrderByDescending(i => i.LastSeen).ThenBy(i => i.Id)];

    /// <summary>Marks the issue resolved now; false when it is unknown.</summary>
    public bool Resolve(IAnalysisView view, string id)
    {
        if (view.OfIssue(id).Count == 0)
            return false;
        resolutions.Set(id, options.Time.GetUtcNow());
        return true;
    }

    private Issue Build(string id, IReadOnlyList<AnalyzedInvocation> occurrences)
    {
        var first = occurrences[0];
        var last = occurrences[^1];
        var resolvedAt = resolutions.Get(id);
        var regression = resolvedAt is { } r ? occurrences.FirstOrDefault(o => o.Start > r) : null;
        var state = resolvedAt is null
            ? options.Time.GetUtcNow() - first.Start < options.NewIssueWindow ? IssueState.New : IssueState.Ongoing
            : regression is not null ? IssueState.Regressed : IssueState.Resolved;
        return new Issue(id, first.Failure!, state, first.Start, last.Start, occurrences.Count,
            occurrences.Count(o => o.ColdStart), resolvedAt, regression?.Start, occurrences);
    }
}
