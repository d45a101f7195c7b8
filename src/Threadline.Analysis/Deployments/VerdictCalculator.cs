using System.Globalization;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Functions;
using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Deployments;

/// <summary>
/// Compares a function's invocations in the window before a deployment (from the later of window start and its first
/// invocation) with those after it (up to the window end, the next deployment of the function, or now): errors per
/// hour, p95 duration, and which issues stopped (fixed: seen before, not after) or started (new: first seen after).
/// </summary>
public sealed class VerdictCalculator(AnalysisOptions options)
{
    private static readonly TimeSpan MinimumSpan = TimeSpan.FromMinutes(1);

    public Verdict Judge(IAnalysisView view, Deployment deployment, DateTimeOffset? nextDeployment)
    {
        var t = deployment.Time;
        var window = options.DeploymentWindow;
        var firsts = StoreAnalysisView.Wait(view.Store.GetFunctionFirstStartsAsync([deployment.Function], CancellationToken.None));
        var firstStart = firsts.TryGetValue(deployment.Function, out var first) ? Time.FromUnixNanos(first) : (DateTimeOffset?)null;
        var beforeStart = firstStart is { } seen && seen > t - window ? seen : t - window;
        var afterEnd = Min(Min(t + window, nextDeployment ?? DateTimeOffset.MaxValue), options.Time.GetUtcNow());
        var invocations = view.OfFunction(deployment.Function, ReadRange.Of(Min(beforeStart, t), Max(afterEnd, t), t));
        var before = invocations.Where(i => i.Start >= beforeStart && i.Start < t).ToList();
        var after = invocations.Where(i => i.Start >= t && i.Start < afterEnd).ToList();
        var errorsBefore = PerHour(before.Count(i => i.Failed), t - beforeStart);
        var errorsAfter = PerHour(after.Count(i => i.Failed), afterEnd - t);
        var p95Before = FunctionStats.Of(deployment.Function, before).P95Ms;
        var p95After = FunctionStats.Of(deployment.Function, after).P95Ms;
        var issuesBefore = before.Where(i => i.Failure is not null).Select(i => i.Failure!.IssueId).ToHashSet();
        var issuesAfter = after.Where(i => i.Failure is not null).Select(i => i.Failure!.IssueId).ToHashSet();
        var enoughAfter = after.Count >= options.DeploymentMinimumInvocations;
        var fixedIssues = enoughAfter ? issuesBefore.Except(issuesAfter).Order(StringComparer.Ordinal).ToList() : [];
        var issueSpans = StoreAnalysisView.Wait(view.Store.GetIssueSpansAsync(issuesAfter, CancellationToken.None));
        var newIssues = issuesAfter.Where(id => issueSpans.TryGetValue(id, out var span) && Time.FromUnixNanos(span.FirstStartUnixNano) >= t)
            .Order(StringComparer.Ordinal).ToList();

        var text = (deployment.Rollback ? $"rollback to {deployment.Version} from {deployment.PreviousVersion}: " : "") + Text(deployment.Version, before.Count, after.Count, enoughAfter, errorsBefore, errorsAfter, p95Before, p95After, fixedIssues, newIssues);
        return new Verdict(text, errorsBefore, errorsAfter, p95Before, p95After, before.Count, after.Count, fixedIssues, newIssues);
    }

    private string Text(string version, int beforeCount, int afterCount, bool enoughAfter, double errorsBefore, double errorsAfter,
        double p95Before, double p95After, List<string> fixedIssues, List<string> newIssues)
    {
        if (!enoughAfter)
            return $"waiting for traffic after {version} ({afterCount} of {options.DeploymentMinimumInvocations} invocations)";
        var parts = new List<string>();
        if (errorsBefore > 0 || errorsAfter > 0)
        {
            var errors = $"errors {Rate(errorsBefore)}/h → {Rate(errorsAfter)}/h after {version}";
            var notes = fixedIssues.Select(i => $"fixed issue #{i}").Concat(newIssues.Select(i => $"new issue #{i}")).ToList();
            parts.Add(notes.Count > 0 ? $"{errors}: {string.Join(", ", notes)}" : errors);
        }
        if (beforeCount > 0 && p95Before > 0)
        {
            var change = (p95After - p95Before) / p95Before;
            if (Math.Abs(change) >= options.P95ChangeThreshold)
                parts.Add($"p95 {(change > 0 ? "+" : "-")}{Math.Round(Math.Abs(change) * 100).ToString(CultureInfo.InvariantCulture)}% after {version}");
        }
        return parts.Count > 0 ? string.Join("; ", parts) : $"no change after {version}";
    }

    private static double PerHour(int count, TimeSpan span) => count / (span < MinimumSpan ? MinimumSpan : span).TotalHours;

    private static string Rate(double perHour) =>
        Math.Round(perHour, perHour >= 10 ? 0 : 1).ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
