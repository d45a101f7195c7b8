using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Issues;

/// <summary>
/// Builds issues from the stored occurrences and keeps the owner's resolutions. State: resolved at R and an
/// occurrence starting after R → regressed (from that occurrence), else resolved; never resolved → new while first
/// seen within <see cref="AnalysisOptions.NewIssueWindow"/>, ongoing after.
/// </summary>
public sealed class IssueTracker(AnalysisOptions options, ResolutionStore resolutions)
{
    /// <summary>The most issues one list answers (latest seen first).</summary>
    public const int MaxIssues = 10_000;

    /// <summary>How far back from an issue's last occurrence its impact, samples and timeline look.</summary>
    public static readonly TimeSpan OccurrenceSpan = ReadRange.DefaultSpan;

    public Issue? Get(IAnalysisView view, string id) => Build(view, [id]).FirstOrDefault();

    /// <summary>The issues with an occurrence in the range (of one function when given), latest seen first.</summary>
    public IReadOnlyList<Issue> List(IAnalysisView view, TimeRange range, string? function = null)
    {
        var groups = StoreAnalysisView.Wait(view.Store.ListIssuesAsync(range, function, MaxIssues, CancellationToken.None));
        return Build(view, [.. groups.Select(g => g.IssueId)]);
    }

    /// <summary>The issue's occurrences in the day up to its last one, in start order.</summary>
    public static IReadOnlyList<AnalyzedInvocation> Occurrences(IAnalysisView view, Issue issue) =>
        view.OfIssue(issue.Id, new TimeRange(Time.ToUnixNanos(issue.LastSeen - OccurrenceSpan), long.MaxValue));

    /// <summary>Marks the issue resolved now; false when it is unknown.</summary>
    public bool Resolve(IAnalysisView view, string id)
    {
        if (Get(view, id) is null)
            return false;
        resolutions.Set(id, options.Time.GetUtcNow());
        return true;
    }

    private List<Issue> Build(IAnalysisView view, IReadOnlyCollection<string> ids)
    {
        var spans = StoreAnalysisView.Wait(view.Store.GetIssueSpansAsync(ids, CancellationToken.None));
        return [.. spans.Values.Select(s => Build(view, s)).OrderByDescending(i => i.LastSeen).ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    private Issue Build(IAnalysisView view, IssueSpan span)
    {
        var first = Time.FromUnixNanos(span.FirstStartUnixNano);
        var last = Time.FromUnixNanos(span.LastStartUnixNano);
        var resolvedAt = resolutions.Get(span.IssueId);
        // An occurrence is after R when its start, to the tick, is: from the tick after R's on.
        DateTimeOffset? regression = resolvedAt is { } r && last > r
            && StoreAnalysisView.Wait(view.Store.GetFirstOccurrenceAfterAsync(span.IssueId, Time.ToUnixNanos(r) + 99, CancellationToken.None)) is { } after
            ? Time.FromUnixNanos(after)
            : null;
        var state = resolvedAt is null
            ? options.Time.GetUtcNow() - first < options.NewIssueWindow ? IssueState.New : IssueState.Ongoing
            : regression is not null ? IssueState.Regressed : IssueState.Resolved;
        return new Issue(span.IssueId, AnalysisRows.FailureOf(span.Function, span.Failure), state, first, last, (int)span.Count, (int)span.ColdStarts,
            resolvedAt, regression);
    }
}
