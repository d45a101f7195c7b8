namespace Threadline.Storage.Derived.Analysis;

/// <summary>
/// The analysis' derived state in the store, beside <see cref="ITelemetryStore"/>: analyzed invocations with the
/// indexes the analysis reads by (function, issue, record key, skipped shard, each with time), per-minute function
/// rollups, and the analysis watermark (the highest span commit sequence whose derivation is written). Writes are one
/// transaction per derivation and idempotent; reads never wait on the writer and are bounded by range and limit.
/// </summary>
public interface IAnalysisStore : IAsyncDisposable
{
    /// <summary>
    /// In one transaction: every stored invocation of <see cref="AnalysisDelta.Traces"/> is replaced by the delta's rows
    /// of those traces (a trace without rows is cleared), the function minutes they touch are summed again, and the
    /// watermark is set to <see cref="AnalysisDelta.Watermark"/> (never lowered).
    /// </summary>
    Task WriteAsync(AnalysisDelta delta, CancellationToken cancellationToken);

    /// <summary>The highest span commit sequence whose derivation is written; 0 for a store never derived.</summary>
    Task<long> GetWatermarkAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AnalyzedInvocationRow>> GetInvocationsAsync(IReadOnlyCollection<InvocationKey> ids, CancellationToken cancellationToken);

    /// <summary>The function's invocations started in the range, in start order (then trace and span id), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AnalyzedInvocationRow>> ListByFunctionAsync(string function, TimeRange range, int limit, CancellationToken cancellationToken);

    /// <summary>The function's invocations started in the range, latest first, at most <paramref name="limit"/>; only failed ones when asked.</summary>
    Task<IReadOnlyList<AnalyzedInvocationRow>> ListLatestByFunctionAsync(string function, TimeRange range, bool failedOnly, int limit, CancellationToken cancellationToken);

    /// <summary>The failed invocations of the issue started in the range, in start order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AnalyzedInvocationRow>> ListByIssueAsync(string issueId, TimeRange range, int limit, CancellationToken cancellationToken);

    /// <summary>The invocations that consumed a record carrying the key, or received it as a dropped event, in start order.</summary>
    Task<IReadOnlyList<AnalyzedInvocationRow>> ListByRecordKeyAsync(string key, int limit, CancellationToken cancellationToken);

    /// <summary>The invocations that received dropped records of the shard (<c>stream/shardId</c>), in start order.</summary>
    Task<IReadOnlyList<AnalyzedInvocationRow>> ListBySkippedShardAsync(string shard, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The issues with an occurrence in the range, grouped over their occurrences in the range (of one function when
    /// given), latest seen first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<IssueGroup>> ListIssuesAsync(TimeRange range, string? function, int limit, CancellationToken cancellationToken);

    /// <summary>Each given issue's occurrences over everything stored: first and last start and count; unknown issues are absent.</summary>
    Task<IReadOnlyDictionary<string, IssueSpan>> GetIssueSpansAsync(IReadOnlyCollection<string> issueIds, CancellationToken cancellationToken);

    /// <summary>The start of the issue's first occurrence after <paramref name="afterUnixNano"/>, if any.</summary>
    Task<long?> GetFirstOccurrenceAfterAsync(string issueId, long afterUnixNano, CancellationToken cancellationToken);

    /// <summary>The functions with an invocation started in the range, in name order (ordinal).</summary>
    Task<IReadOnlyList<string>> ListFunctionsAsync(TimeRange range, CancellationToken cancellationToken);

    /// <summary>The function minutes (of one function when given) whose minute starts in the range, by function, minute, release.</summary>
    Task<IReadOnlyList<FunctionMinuteRow>> ListFunctionMinutesAsync(string? function, TimeRange range, CancellationToken cancellationToken);

    /// <summary>Exact figures per function over its invocations started in the range (name order).</summary>
    Task<IReadOnlyList<FunctionFigures>> GetFunctionFiguresAsync(string? function, TimeRange range, CancellationToken cancellationToken);

    /// <summary>
    /// The runs of releases of each function's invocations started in the range (invocations without a release left
    /// out): consecutive invocations in start order with the same release are one run, with its first start and size.
    /// In function order, then start order. Deployments are found from these.
    /// </summary>
    Task<IReadOnlyList<ReleaseRun>> ListReleaseRunsAsync(string? function, TimeRange range, CancellationToken cancellationToken);

    /// <summary>The start of each function's first stored invocation (of the given ones, or all).</summary>
    Task<IReadOnlyDictionary<string, long>> GetFunctionFirstStartsAsync(IReadOnlyCollection<string>? functions, CancellationToken cancellationToken);

    /// <summary>When each issue was last marked resolved by its owner (Unix nanoseconds), by issue id.</summary>
    Task<IReadOnlyDictionary<string, long>> GetResolutionsAsync(CancellationToken cancellationToken);

    /// <summary>Records (or moves) the issue's resolution; resolutions are not derived and retention keeps them.</summary>
    Task SetResolutionAsync(string issueId, long resolvedAtUnixNano, CancellationToken cancellationToken);

    /// <summary>The deployments recorded through the API (one per function and version, the latest time recorded).</summary>
    Task<IReadOnlyList<RecordedDeployment>> ListRecordedDeploymentsAsync(CancellationToken cancellationToken);

    /// <summary>Records a deployment; recording the same function and version again moves its time.</summary>
    Task RecordDeploymentAsync(RecordedDeployment deployment, CancellationToken cancellationToken);

    /// <summary>Deletes the invocations that started before the cutoff and the function minutes before it; answers the invocations deleted.</summary>
    Task<long> DeleteStartedBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken);
}

/// <summary>[From, To) in Unix nanoseconds.</summary>
public readonly record struct TimeRange(long FromUnixNano, long ToUnixNano)
{
    public static readonly TimeRange All = new(long.MinValue, long.MaxValue);
}

public readonly record struct InvocationKey(UInt128 TraceId, ulong SpanId);

/// <summary>
/// One derivation to write: the re-derived traces, their invocations now, and the span commit sequence derived up to.
/// <see cref="EarliestStartUnixNano"/> promises that no stored invocation of these traces started before it (the
/// earliest span of the traces), so a store can look only at recent rows when it replaces them.
/// </summary>
public sealed record AnalysisDelta(IReadOnlyCollection<UInt128> Traces, IReadOnlyList<AnalyzedInvocationRow> Rows, long Watermark,
    long EarliestStartUnixNano = long.MinValue);

/// <summary>An issue's occurrences in a range: the first one's failure, counts and first/last start.</summary>
public sealed record IssueGroup(string IssueId, string Function, FailureRow Failure, long Count, long ColdStarts, long FirstStartUnixNano, long LastStartUnixNano);

/// <summary>An issue over everything stored: its first occurrence's failure, first and last start, count, cold starts.</summary>
public sealed record IssueSpan(string IssueId, string Function, FailureRow Failure, long FirstStartUnixNano, long LastStartUnixNano, long Count, long ColdStarts);

/// <summary>
/// A function's invocations in a range: counts, cost, and nearest-rank duration percentiles (exact, from the
/// invocations; the minutes' histogram gives them within 2% over long ranges).
/// </summary>
public sealed record FunctionFigures(string Function, long Invocations, long Errors, long ColdStarts, decimal CostUsd, double P50Ms, double P95Ms, double P99Ms);

/// <summary>Consecutive invocations of a function (in start order) running the same release.</summary>
public sealed record ReleaseRun(string Function, string Release, long FirstStartUnixNano, long Invocations);

/// <summary>A deployment recorded through the API: not derivable from spans, so kept as it was told.</summary>
public sealed record RecordedDeployment(string Function, string Version, long TimeUnixNano);
