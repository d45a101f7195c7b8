using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Analysis.Issues;

namespace Threadline.Analysis.Api;

internal static class IssueMapper
{
    public const int SampleCount = 10;

    public static string State(IssueState state) => state switch
    {
        IssueState.New => "new",
        IssueState.Ongoing => "ongoing",
        IssueState.Regressed => "regressed",
        _ => "resolved",
    };

    public static string Kind(FailureKind kind) => kind switch
    {
        FailureKind.Timeout => "timeout",
        FailureKind.OutOfMemory => "outOfMemory",
        FailureKind.OutgoingCall => "outgoingCall",
        _ => "error",
    };

    public static IssueSummaryResponse Summary(Issue issue) => new(issue.Id, issue.Failure.Fingerprint, issue.Function, issue.Failure.ErrorType,
        issue.Failure.Message, State(issue.State), issue.FirstSeen, issue.LastSeen, issue.Count);

    public static IssueDetailResponse Detail(Issue issue, ImpactReport impact, IAnalysisView view, IReadOnlyList<AnalyzedInvocation> occurrences) => new(
        issue.Id, issue.Failure.Fingerprint, issue.Function, issue.Failure.ErrorType, issue.Failure.Message, Kind(issue.Failure.Kind),
        issue.Failure.TopFrame, State(issue.State), issue.FirstSeen, issue.LastSeen, issue.Count, issue.ColdStarts, issue.ColdStartRelated,
        issue.ResolvedAt, issue.RegressedAt,
        impact.Sentence(issue.Function), Entries(impact), Exposure(impact),
        [.. occurrences.Reverse().Take(SampleCount).Select(o => Sample(o, view))],
        [.. occurrences.GroupBy(o => new DateTimeOffset(o.Start.UtcDateTime.Date.AddHours(o.Start.UtcDateTime.Hour), TimeSpan.Zero))
            .Select(g => new TimelinePoint(g.Key, g.Count())).OrderBy(p => p.Hour)],
        Exposure(impact.DelayedExposure), Exposure(impact.FailedBatchExposure), Outcomes(impact));

    public static IReadOnlyList<EntryImpactResponse> Entries(ImpactReport impact) =>
        [.. impact.Entries.Select(e => new EntryImpactResponse(e.Entry.Name, e.Entry.Kind, e.Entry.Function, e.FailedTransactions,
            e.FailedBatchTransactions, e.DelayedTransactions))];

    public static ExposureResponse Exposure(ImpactReport impact) => Exposure(impact.Exposure);

    public static ExposureResponse Exposure(Exposure exposure) => new(exposure.Users, exposure.VipUsers, exposure.SampleUsers);

    public static OutcomesResponse Outcomes(ImpactReport impact) =>
        new(impact.Outcomes.Failed, impact.Outcomes.Delayed, impact.Outcomes.Recovered, impact.Outcomes.Lost, impact.Outcomes.InFailedBatch);

    private static SampleResponse Sample(AnalyzedInvocation occurrence, IAnalysisView view)
    {
        var transactions = view.Engine.TransactionsOf(occurrence.Id);
        return new SampleResponse(occurrence.Id.ToString(), transactions.FirstOrDefault(), transactions, occurrence.Start, occurrence.Version,
            occurrence.ColdStart);
    }
}
