namespace Threadline.Analysis.Api;

public sealed record IssueSummaryResponse(string Id, string Fingerprint, string Function, string ErrorType, string Message, string State,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Count);

public sealed record EntryImpactResponse(string Entry, string? Kind, string Function, int FailedTransactions, int FailedBatchTransactions = 0,
    int DelayedTransactions = 0);

public sealed record ExposureResponse(int Users, IReadOnlyList<string> VipUsers, IReadOnlyList<string> SampleUsers)
{
    public static readonly ExposureResponse Empty = new(0, [], []);
}

/// <summary>Records of the failed invocations' batches by outcome (see docs/analysis.md, "Batches").</summary>
public sealed record OutcomesResponse(int Failed, int Delayed, int Recovered, int Lost, int InFailedBatch)
{
    public static readonly OutcomesResponse Empty = new(0, 0, 0, 0, 0);
}

public sealed record SampleResponse(string InvocationId, string? TransactionId, IReadOnlyList<string> TransactionIds, DateTimeOffset Time,
    string? Version, bool ColdStart);

public sealed record TimelinePoint(DateTimeOffset Hour, int Count);

public sealed record IssueDetailResponse(
    string Id, string Fingerprint, string Function, string ErrorType, string Message, string Kind, string? TopFrame, string State,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Count, int ColdStarts, bool ColdStartRelated,
    DateTimeOffset? ResolvedAt, DateTimeOffset? RegressedAt,
    string ImpactSummary, IReadOnlyList<EntryImpactResponse> Impact, ExposureResponse Exposure,
    IReadOnlyList<SampleResponse> Samples, IReadOnlyList<TimelinePoint> Timeline,
    ExposureResponse? DelayedExposure = null, ExposureResponse? FailedBatchExposure = null, OutcomesResponse? Outcomes = null);

public sealed record ImpactResponse(string Function, int FailedInvocations, string ImpactSummary, IReadOnlyList<EntryImpactResponse> Impact,
    ExposureResponse Exposure, ExposureResponse DelayedExposure, ExposureResponse FailedBatchExposure, OutcomesResponse Outcomes);

public sealed record ComparisonResponse(double ErrorsPerHourBefore, double ErrorsPerHourAfter, double P95MsBefore, double P95MsAfter,
    int InvocationsBefore, int InvocationsAfter, IReadOnlyList<string> FixedIssues, IReadOnlyList<string> NewIssues);

public sealed record DeploymentResponse(string Function, string Version, DateTimeOffset Time, string Verdict, string? PreviousVersion,
    string Source, bool Rollback, ComparisonResponse Comparison);

public sealed record RecordDeploymentRequest(string? Function, string? Version, string? Time);

public sealed record FunctionResponse(string Function, int Invocations, int Errors, double P50Ms, double P95Ms, double P99Ms, int ColdStarts,
    decimal CostUsd, decimal CostLastHourUsd, decimal BaselineCostPerHourUsd, bool CostSpike);
