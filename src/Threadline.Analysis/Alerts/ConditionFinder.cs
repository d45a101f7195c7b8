using System.Globalization;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Cost;
using Threadline.Analysis.Deployments;
using Threadline.Analysis.Functions;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Analysis.Issues;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// Turns each rule into the conditions that hold now, each with its one-line text. Issues are those seen in the last
/// <see cref="ReadRange.DefaultSpan"/>; thresholds look at their window; cost at the last 25 hours.
/// </summary>
public sealed class ConditionFinder(AnalysisOptions options, IssueTracker issues, ImpactCalculator impact, CostCalculator cost,
    DeploymentHistory deployments)
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(5);

    public IReadOnlyList<AlertCondition> Find(IAnalysisView view, IReadOnlyList<AlertRule> rules)
    {
        var allIssues = issues.List(view, ReadRange.Of(null, null, view.Now));
        var impacts = new Dictionary<string, ImpactReport>();
        ImpactReport ImpactOf(Issue issue)
        {
            if (!impacts.TryGetValue(issue.Id, out var report))
                impacts[issue.Id] = report = impact.Of(view, IssueTracker.Occurrences(view, issue));
            return report;
        }

        var found = new List<AlertCondition>();
        foreach (var rule in rules)
        {
            var scoped = allIssues.Where(i => rule.Function is null || i.Function == rule.Function).ToList();
            switch (rule.Type)
            {
                case AlertRuleType.NewIssue:
                    found.AddRange(NewIssues(rule, scoped, ImpactOf));
                    break;
                case AlertRuleType.Regression:
                    found.AddRange(Regressions(rule, scoped, ImpactOf));
                    break;
                case AlertRuleType.NewOrRegressedIssue:
                    found.AddRange(NewIssues(rule, scoped, ImpactOf));
                    found.AddRange(Regressions(rule, scoped, ImpactOf));
                    break;
                case AlertRuleType.VipAffected:
                    foreach (var issue in scoped.Where(i => i.State != IssueState.Resolved))
                    {
                        foreach (var vip in ImpactOf(issue).Exposure.VipUsers)
                        {
                            found.Add(Event(rule, $"{issue.Id}|{vip}",
                                () => $"Issue #{issue.Id} in {issue.Function} now affects VIP user {vip}: {Describe(issue)} — {ImpactOf(issue).Sentence(issue.Function)}", issue));
                        }
                    }
                    break;
                case AlertRuleType.EntryAffected:
                    foreach (var issue in scoped.Where(i => i.State != IssueState.Resolved))
                    {
                        if (ImpactOf(issue).Entries.FirstOrDefault(e => e.Entry.Name == rule.Entry && e.FailedTransactions + e.FailedBatchTransactions > 0) is { } hit)
                        {
                            found.Add(Event(rule, $"{issue.Id}|{rule.Entry}",
                                () => $"Issue #{issue.Id} in {issue.Function} now affects {rule.Entry} ({hit.FailedTransactions + hit.FailedBatchTransactions} failed {hit.Entry.Noun(hit.FailedTransactions + hit.FailedBatchTransactions)}): {Describe(issue)} — {ImpactOf(issue).Sentence(issue.Function)}", issue));
                        }
                    }
                    break;
                case AlertRuleType.ErrorRate:
                case AlertRuleType.P95Duration:
                    found.AddRange(FunctionThresholds(view, rule, allIssues, ImpactOf));
                    break;
                case AlertRuleType.CostPerHour:
                    found.AddRange(CostThreshold(view, rule, allIssues));
                    break;
                case AlertRuleType.CostSpike:
                    found.AddRange(CostSpikes(view, rule));
                    break;
            }
        }
        return found;
    }

    /// <summary>
    /// How each of the given issues that no longer fails came to an end, with the impact it had: resolved by its owner
    /// and not seen since, or fixed by a deployment (its verdict lists the issue as fixed, and it was not seen after it).
    /// Issues still failing are absent.
    /// </summary>
    public IReadOnlyDictionary<string, string> Resolutions(IAnalysisView view, IReadOnlySet<string> issueIds)
    {
        ArgumentNullException.ThrowIfNull(issueIds);
        var resolutions = new Dictionary<string, string>();
        if (issueIds.Count == 0)
            return resolutions;
        var fixes = new Dictionary<string, JudgedDeployment>();
        foreach (var judged in deployments.Judge(view, ReadRange.Of(null, null, view.Now)))
        {
            foreach (var id in judged.Verdict.FixedIssues.Where(issueIds.Contains))
                fixes[id] = judged;
        }
        foreach (var id in issueIds)
        {
            if (issues.Get(view, id) is not { } issue)
                continue;
            var how = issue.State == IssueState.Resolved ? $"marked resolved at {Stamp(issue.ResolvedAt!.Value)}"
                : issue.State != IssueState.Regressed && fixes.TryGetValue(id, out var fix) && fix.Deployment.Time > issue.LastSeen
                    ? $"fixed by {fix.Deployment.Function} {fix.Deployment.Version}, deployed {Stamp(fix.Deployment.Time)}"
                    : null;
            if (how is not null)
                resolutions[id] = $"{how}. It had hit: {impact.Of(view, IssueTracker.Occurrences(view, issue)).Sentence(issue.Function)}";
        }
        return resolutions;
    }

    private IEnumerable<AlertCondition> NewIssues(AlertRule rule, List<Issue> scoped, Func<Issue, ImpactReport> impactOf) =>
        scoped.Where(i => i.State == IssueState.New && Settled(i.FirstSeen)).Select(i =>
            Event(rule, $"{i.Id}", () => $"New issue #{i.Id} in {i.Function}: {Describe(i)} — {impactOf(i).Sentence(i.Function)}", i));

    private bool Settled(DateTimeOffset failure) => options.Time.GetUtcNow() - failure >= options.AlertSettleTime;

    private IEnumerable<AlertCondition> Regressions(AlertRule rule, List<Issue> scoped, Func<Issue, ImpactReport> impactOf) =>
        scoped.Where(i => i.State == IssueState.Regressed && Settled(i.RegressedAt!.Value)).Select(i =>
            Event(rule, $"{i.Id}|{i.ResolvedAt!.Value.UtcTicks}",
                () => $"Regression of issue #{i.Id} in {i.Function} (resolved {Stamp(i.ResolvedAt!.Value)}, back at {Stamp(i.RegressedAt!.Value)}): {Describe(i)} — {impactOf(i).Sentence(i.Function)}", i));

    private IEnumerable<AlertCondition> CostSpikes(IAnalysisView view, AlertRule rule)
    {
        var factor = (decimal)(rule.Threshold ?? options.CostSpikeFactor);
        foreach (var spend in RecentSpend(view, rule.Function))
        {
            var function = spend.Function;
            if (spend.BaselinePerHourUsd <= 0 || spend.LastHourUsd < options.CostSpikeMinimumUsd || spend.LastHourUsd <= spend.BaselinePerHourUsd * factor)
                continue;
            var times = (spend.LastHourUsd / spend.BaselinePerHourUsd).ToString("0.#", CultureInfo.InvariantCulture);
            yield return Level(rule, function,
                () => $"Cost spike of {function}: {Usd(spend.LastHourUsd)} in the last hour, {times}× its usual {Usd(spend.BaselinePerHourUsd)} an hour",
                null, function, $"Cost of {function} is back under {factor.ToString("0.#", CultureInfo.InvariantCulture)}× its usual hour");
        }
    }

    private IEnumerable<AlertCondition> FunctionThresholds(IAnalysisView view, AlertRule rule, IReadOnlyList<Issue> allIssues,
        Func<Issue, ImpactReport> impactOf)
    {
        var now = options.Time.GetUtcNow();
        var window = rule.Window ?? DefaultWindow;
        var range = ReadRange.After(now - window, now);
        var functions = rule.Function is null ? view.Functions(range) : [rule.Function];
        foreach (var function in functions)
        {
            var recent = view.OfFunction(function, range);
            if (recent.Count == 0 || recent.Count < rule.MinInvocations)
                continue;
            var stats = FunctionStats.Of(function, recent);
            var top = TopIssue(recent, allIssues);
            var minutes = Minutes(window);
            if (rule.Type == AlertRuleType.ErrorRate)
            {
                var rate = (double)stats.Errors / stats.Invocations;
                if (rate >= rule.Threshold!.Value)
                {
                    yield return Level(rule, function,
                        () => $"Error rate of {function} is {Percent(rate)} ({stats.Errors} of {stats.Invocations} invocations in the last {minutes}; threshold {Percent(rule.Threshold.Value)})"
                        + (top is null ? "" : $"; top issue #{top.Id}: {Describe(top)} — {impactOf(top).Sentence(top.Function)}"), top, function,
                        $"Error rate of {function} is under {Percent(rule.Threshold.Value)} (last {minutes})");
                }
            }
            else if (stats.P95Ms >= rule.Threshold!.Value)
            {
                yield return Level(rule, function,
                    () => $"p95 duration of {function} is {Ms(stats.P95Ms)} over the last {minutes} ({stats.Invocations} invocations; threshold {Ms(rule.Threshold.Value)})", top, function,
                    $"p95 duration of {function} is under {Ms(rule.Threshold.Value)} (last {minutes})");
            }
        }
    }

    private IEnumerable<AlertCondition> CostThreshold(IAnalysisView view, AlertRule rule, IReadOnlyList<Issue> allIssues)
    {
        var lastHour = RecentSpend(view, rule.Function).Sum(f => f.LastHourUsd);
        if (lastHour < (decimal)rule.Threshold!.Value)
            yield break;
        var scope = rule.Function ?? "all functions";
        yield return Level(rule, scope,
            () => $"Cost of {scope} is {Usd(lastHour)} in the last hour (threshold {Usd((decimal)rule.Threshold.Value)})", null, rule.Function,
            $"Cost of {scope} is under {Usd((decimal)rule.Threshold.Value)} in the last hour");
    }

    /// <summary>The spend of the functions (or the one) invoked in the last hour and the 24 before it: the only ones with a last hour or a usual hour.</summary>
    private IReadOnlyList<FunctionCost> RecentSpend(IAnalysisView view, string? function)
    {
        var now = view.Now;
        var spend = cost.OfFunctions(view, ReadRange.After(now.AddHours(-25), now));
        return function is null ? spend : [.. spend.Where(f => f.Function == function)];
    }

    private static Issue? TopIssue(IReadOnlyList<AnalyzedInvocation> recent, IReadOnlyList<Issue> allIssues) =>
        recent.Where(i => i.Failure is not null).GroupBy(i => i.Failure!.IssueId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Select(g => allIssues.FirstOrDefault(i => i.Id == g.Key)).FirstOrDefault(i => i is not null);

    private static AlertCondition Event(AlertRule rule, string subject, Func<string> text, Issue issue) =>
        new(rule, $"event|{rule.Key}|{subject}", Level: false, new Lazy<string>(text), issue.Id, issue.Function, $"Resolved: issue #{issue.Id} in {issue.Function} ({Describe(issue)})");

    private static AlertCondition Level(AlertRule rule, string subject, Func<string> text, Issue? issue, string? function, string resolvedText) =>
        new(rule, $"level|{rule.Key}|{subject}", Level: true, new Lazy<string>(text), issue?.Id, function, "Resolved: " + resolvedText);

    private static string Describe(Issue issue) => $"{issue.Failure.ErrorType} \"{issue.Failure.Message}\"";

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string Usd(decimal usd) => "$" + usd.ToString("0.00####", CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan window) =>
        window.TotalMinutes >= 1 ? window.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min" : window.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
}
