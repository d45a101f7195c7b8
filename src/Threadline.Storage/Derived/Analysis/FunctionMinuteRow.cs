namespace Threadline.Storage.Derived.Analysis;

/// <summary>
/// The invocations of one function and release that started in one minute, summed: functions, cost and deployment
/// figures over any range are sums of these. <see cref="DurationBuckets"/> counts durations by
/// <see cref="DurationHistogram"/> bucket, so percentiles over many minutes come from sums too.
/// </summary>
public sealed record FunctionMinuteRow(
    string Function,
    string? Release,
    long MinuteUnixNano,
    long Invocations,
    long Errors,
    long ColdStarts,
    double GbSeconds,
    decimal CostUsd,
    long FirstStartUnixNano,
    IReadOnlyDictionary<int, long> DurationBuckets);
