using Threadline.Analysis.Alerts;
using Threadline.Analysis.Batches;
using Threadline.Analysis.Cost;
using Threadline.Analysis.Deployments;
using Threadline.Analysis.Functions;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Analysis.Issues;

namespace Threadline.Analysis.Api;

/// <summary>An issue as the API answers it, with its occurrences (for a finer timeline than the API's hourly one).</summary>
public sealed record IssueView(IssueDetailResponse Detail, IReadOnlyList<AnalyzedInvocation> Occurrences);

/// <summary>A failed invocation of a function with the transactions it belongs to.</summary>
public sealed record FailedInvocation(AnalyzedInvocation Invocation, IReadOnlyList<string> TransactionIds);

/// <summary>
/// The answers of the analysis API as typed records, for in-process readers (the web UI): the same calls and the same
/// mapping as the JSON endpoints, without an HTTP round trip. Each method reads one consistent view.
/// </summary>
public sealed class AnalysisQueries(
    AnalysisState state,
    IssueTracker issues,
    ImpactCalculator impact,
    CostCalculator cost,
    DeploymentHistory deployments,
    AlertLedger ledger)
{
    /// <summary>Issues, latest seen first: of that state and function, with an occurrence in [from, to) (each filter optional).</summary>
    public IReadOnlyList<IssueSummaryResponse> Issues(IssueState? issueState, string? function, DateTimeOffset? from, DateTimeOffset? to) =>
        state.Read(view => issues.All(view)
            .Where(i => issueState is null || i.State == issueState)
            .Where(i => function is null || i.Function == function)
            .Where(i => (from is null && to is null) || i.Occurrences.Any(o => (from is null || o.Start >= from) && (to is null || o.Start < to)))
            .Select(IssueMapper.Summary)
            .ToList());

    /// <summary>The issue with impact, exposure, samples and timeline; null when unknown.</summary>
    public IssueView? Issue(string id) =>
        state.Read(view => issues.Get(view, id) is { } issue
            ? new IssueView(IssueMapper.Detail(issue, impact.Of(view, issue.Occurrences), view), issue.Occurrences)
            : null);

    /// <summary>Marks the issue resolved now and answers it; null when unknown.</summary>
    public IssueView? Resolve(string id) =>
        state.Read(view => issues.Resolve(view, id) && issues.Get(view, id) is { } issue
            ? new IssueView(IssueMapper.Detail(issue, impact.Of(view, issue.Occurrences), view), issue.Occurrences)
            : null);

    /// <summary>Per function (name order): counts, percentiles and cost of its invocations started in [from, to).</summary>
    public IReadOnlyList<FunctionResponse> Functions(DateTimeOffset? from, DateTimeOffset? to) =>
        state.Read(view => view.Functions.Order(StringComparer.Ordinal).Select(f => Function(view, f, from, to)).ToList());

    /// <summary>The function's invocations started in [from, to), in start order; empty when it is unknown.</summary>
    public IReadOnlyList<AnalyzedInvocation> Invocations(string function, DateTimeOffset? from, DateTimeOffset? to) =>
        state.Read(view => view.OfFunction(function).Where(i => InRange(i, from, to)).ToList());

    /// <summary>The latest failed invocations of the function in [from, to), latest first.</summary>
    public IReadOnlyList<FailedInvocation> RecentFailures(string function, DateTimeOffset? from, DateTimeOffset? to, int limit) =>
        state.Read(view => view.OfFunction(function).Where(i => i.Failed && InRange(i, from, to)).Reverse().Take(limit)
            .Select(i => new FailedInvocation(i, view.Engine.TransactionsOf(i.Id))).ToList());

    /// <summary>One invocation as the analysis sees it (version, user, cost, failure); null when unknown.</summary>
    public AnalyzedInvocation? Invocation(Stitching.InvocationId id) => state.Read(view => view.Get(id));

    /// <summary>The cost of each transaction (its invocations' shares); null for a transaction unknown to the analysis.</summary>
    public IReadOnlyDictionary<string, decimal> TransactionCosts(IEnumerable<string> transactionIds) =>
        state.Read(view => transactionIds.Distinct().Select(id => cost.TransactionOf(view, id)).OfType<TransactionCost>()
            .ToDictionary(c => c.TransactionId, c => c.CostUsd));

    /// <summary>
    /// For each batch consumer invocation of the transaction, what happened in that delivery to the transaction's own
    /// records (the worst of them: failed, batch failed, retried for others, succeeded); invocations that consumed no
    /// record of it, or are not batch consumers, are absent.
    /// </summary>
    public IReadOnlyDictionary<string, DeliveryResult> RecordResults(string transactionId) =>
        state.Read(view =>
        {
            var results = new Dictionary<string, DeliveryResult>(StringComparer.Ordinal);
            foreach (var member in view.Engine.GetTransaction(transactionId)?.Invocations ?? [])
            {
                if (view.Get(member.Id) is not { Batch.Records.Count: > 0 } consumer)
                    continue;
                var own = consumer.Batch.Records.Where(r => RecordAttribution.Of(view, consumer, r).TransactionIds.Contains(transactionId)).ToList();
                if (own.Count > 0)
                    results[member.Id.ToString()] = own.Select(r => r.Result).MaxBy(Severity);
            }
            return (IReadOnlyDictionary<string, DeliveryResult>)results;
        });

    private static int Severity(DeliveryResult result) => result switch
    {
        DeliveryResult.Failed => 3,
        DeliveryResult.BatchFailed => 2,
        DeliveryResult.RetriedForOthers => 1,
        _ => 0,
    };

    /// <summary>Deployments, oldest first, with their verdicts (of one function, when given).</summary>
    public IReadOnlyList<DeploymentResponse> Deployments(string? function) =>
        state.Read(view => deployments.Judge(view).Where(j => function is null || j.Deployment.Function == function).Select(j =>
            new DeploymentResponse(j.Deployment.Function, j.Deployment.Version, j.Deployment.Time, j.Verdict.Text, j.Deployment.PreviousVersion,
                j.Deployment.Recorded ? "recorded" : "detected", j.Deployment.Rollback,
                new ComparisonResponse(j.Verdict.ErrorsPerHourBefore, j.Verdict.ErrorsPerHourAfter, j.Verdict.P95MsBefore, j.Verdict.P95MsAfter,
                    j.Verdict.InvocationsBefore, j.Verdict.InvocationsAfter, j.Verdict.FixedIssues, j.Verdict.NewIssues))).ToList());

    /// <summary>The latest notifications, latest first.</summary>
    public IReadOnlyList<AlertNotification> Notifications() => ledger.Recent();

    private FunctionResponse Function(IAnalysisView view, string function, DateTimeOffset? from, DateTimeOffset? to)
    {
        var stats = FunctionStats.Of(function, view.OfFunction(function).Where(i => InRange(i, from, to)).ToList());
        var spend = cost.OfFunction(view, function);
        return new FunctionResponse(function, stats.Invocations, stats.Errors, stats.P50Ms, stats.P95Ms, stats.P99Ms, stats.ColdStarts, stats.CostUsd,
            spend.LastHourUsd, spend.BaselinePerHourUsd, spend.Spike);
    }

    private static bool InRange(AnalyzedInvocation invocation, DateTimeOffset? from, DateTimeOffset? to) =>
        (from is null || invocation.Start >= from) && (to is null || invocation.Start < to);
}
