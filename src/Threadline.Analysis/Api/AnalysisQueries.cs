using Threadline.Analysis.Alerts;
using Threadline.Analysis.Batches;
using Threadline.Analysis.Cost;
using Threadline.Analysis.Deployments;
using Threadline.Analysis.Functions;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Analysis.Issues;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Api;

/// <summary>An issue as the API answers it, with its occurrences (for a finer timeline than the API's hourly one).</summary>
public sealed record IssueView(IssueDetailResponse Detail, IReadOnlyList<AnalyzedInvocation> Occurrences);

/// <summary>A failed invocation of a function with the transactions it belongs to.</summary>
public sealed record FailedInvocation(AnalyzedInvocation Invocation, IReadOnlyList<string> TransactionIds);

/// <summary>
/// The answers of the analysis API as typed records, for in-process readers (the web UI): the same calls and the same
/// mapping as the JSON endpoints, without an HTTP round trip. Each answer is store queries bounded by a time range
/// (a call given none covers <see cref="ReadRange.DefaultSpan"/> up to now) and a limit.
/// </summary>
public sealed class AnalysisQueries(
    AnalysisState state,
    IssueTracker issues,
    ImpactCalculator impact,
    CostCalculator cost,
    DeploymentHistory deployments,
    AlertLedger ledger)
{
    /// <summary>Issues with an occurrence in [from, to), latest seen first: of that state and function (each filter optional).</summary>
    public IReadOnlyList<IssueSummaryResponse> Issues(IssueState? issueState, string? function, DateTimeOffset? from, DateTimeOffset? to) =>
        state.Read(view => issues.List(view, ReadRange.Of(from, to, view.Now), function)
            .Where(i => issueState is null || i.State == issueState)
            .Select(IssueMapper.Summary)
            .ToList());

    /// <summary>The issue with impact, exposure, samples and timeline (over the day up to its last occurrence); null when unknown.</summary>
    public IssueView? Issue(string id) => state.Read(view => issues.Get(view, id) is { } issue ? ViewOf(view, issue) : null);

    /// <summary>Marks the issue resolved now and answers it; null when unknown.</summary>
    public IssueView? Resolve(string id) =>
        state.Read(view => issues.Resolve(view, id) && issues.Get(view, id) is { } issue ? ViewOf(view, issue) : null);

    private IssueView ViewOf(IAnalysisView view, Issue issue)
    {
        var occurrences = IssueTracker.Occurrences(view, issue);
        return new IssueView(IssueMapper.Detail(issue, impact.Of(view, occurrences), view, occurrences), occurrences);
    }

    /// <summary>Per function with an invocation started in [from, to) (name order): counts, percentiles and cost there, and its cost spike.</summary>
    public IReadOnlyList<FunctionResponse> Functions(DateTimeOffset? from, DateTimeOffset? to) =>
        state.Read<IReadOnlyList<FunctionResponse>>(view =>
        {
            var figures = StoreAnalysisView.Wait(view.Store.GetFunctionFiguresAsync(null, ReadRange.Of(from, to, view.Now), CancellationToken.None));
            var spend = cost.Spend(view, [.. figures.Select(f => (f.Function, f.Invocations, f.CostUsd))]).ToDictionary(s => s.Function, StringComparer.Ordinal);
            return [.. figures.Select(f => new FunctionResponse(f.Function, (int)f.Invocations, (int)f.Errors, f.P50Ms, f.P95Ms, f.P99Ms, (int)f.ColdStarts,
                f.CostUsd, spend[f.Function].LastHourUsd, spend[f.Function].BaselinePerHourUsd, spend[f.Function].Spike))];
        });

    /// <summary>The function's invocations started in [from, to), in start order; empty when it is unknown.</summary>
    public IReadOnlyList<AnalyzedInvocation> Invocations(string function, DateTimeOffset? from, DateTimeOffset? to) =>
        state.Read(view => view.OfFunction(function, ReadRange.Of(from, to, view.Now)));

    /// <summary>The latest failed invocations of the function in [from, to), latest first.</summary>
    public IReadOnlyList<FailedInvocation> RecentFailures(string function, DateTimeOffset? from, DateTimeOffset? to, int limit) =>
        state.Read(view => StoreAnalysisView.Wait(view.Store.ListLatestByFunctionAsync(function, ReadRange.Of(from, to, view.Now), failedOnly: true, limit,
                CancellationToken.None))
            .Select(AnalysisRows.FromRow).Select(i => new FailedInvocation(i, view.Engine.TransactionsOf(i.Id))).ToList());

    /// <summary>One invocation as the analysis sees it (version, user, cost, failure); null when unknown.</summary>
    public AnalyzedInvocation? Invocation(Stitching.InvocationId id) => state.Read(view => view.Get(id));

    /// <summary>The cost of each transaction (its invocations' shares); null for a transaction unknown to the analysis.</summary>
    public IReadOnlyDictionary<string, decimal> TransactionCosts(IEnumerable<string> transactionIds) =>
        state.Read(view => transactionIds.Distinct().Select(id => cost.TransactionOf(view, id)).OfType<TransactionCost>()
            .ToDictionary(c => c.TransactionId, c => c.CostUsd));

    /// <summary>Cost per function (with spikes) and per entry point over [from, to).</summary>
    public CostReport Cost(DateTimeOffset? from, DateTimeOffset? to) => state.Read(view => cost.Report(view, ReadRange.Of(from, to, view.Now)));

    /// <summary>The entry points and users hit by the function's failed invocations in [from, to); null when it has no invocation there.</summary>
    public ImpactResponse? FunctionImpact(string function, DateTimeOffset? from, DateTimeOffset? to) =>
        state.Read(view =>
        {
            var invocations = view.OfFunction(function, ReadRange.Of(from, to, view.Now));
            if (invocations.Count == 0)
                return null;
            var failed = invocations.Where(i => i.Failed).ToList();
            var report = impact.Of(view, failed);
            return new ImpactResponse(function, failed.Count, report.Sentence(function), IssueMapper.Entries(report), IssueMapper.Exposure(report),
                IssueMapper.Exposure(report.DelayedExposure), IssueMapper.Exposure(report.FailedBatchExposure), IssueMapper.Outcomes(report));
        });

    /// <summary>The cost of one transaction; null when unknown.</summary>
    public TransactionCost? TransactionCost(string transactionId) => state.Read(view => cost.TransactionOf(view, transactionId));

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

    /// <summary>Deployments detected in the last day and every recorded one, oldest first, with their verdicts (of one function, when given).</summary>
    public IReadOnlyList<DeploymentResponse> Deployments(string? function) =>
        state.Read(view => deployments.Judge(view, ReadRange.Of(null, null, view.Now)).Where(j => function is null || j.Deployment.Function == function).Select(j =>
            new DeploymentResponse(j.Deployment.Function, j.Deployment.Version, j.Deployment.Time, j.Verdict.Text, j.Deployment.PreviousVersion,
                j.Deployment.Recorded ? "recorded" : "detected", j.Deployment.Rollback,
                new ComparisonResponse(j.Verdict.ErrorsPerHourBefore, j.Verdict.ErrorsPerHourAfter, j.Verdict.P95MsBefore, j.Verdict.P95MsAfter,
                    j.Verdict.InvocationsBefore, j.Verdict.InvocationsAfter, j.Verdict.FixedIssues, j.Verdict.NewIssues))).ToList());

    /// <summary>The latest notifications, latest first.</summary>
    public IReadOnlyList<AlertNotification> Notifications() => ledger.Recent();
}
