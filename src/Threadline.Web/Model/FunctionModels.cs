using System.Globalization;
using Threadline.Analysis.Api;
using Threadline.Analysis.Functions;
using Threadline.Analysis.Ingest;

namespace Threadline.Web.Model;

/// <summary>A row of the functions table: counts, percentiles and cost over the time range.</summary>
public sealed record FunctionRow(string Name, int Invocations, int Errors, double P50Ms, double P95Ms, double P99Ms, int ColdStarts, decimal CostUsd,
    decimal CostLastHourUsd, bool CostSpike)
{
    public string ErrorRateText => Invocations == 0 ? "—" : (Errors / (double)Invocations).ToString("0.#%", CultureInfo.InvariantCulture);

    public static FunctionRow Of(FunctionResponse function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new FunctionRow(function.Function, function.Invocations, function.Errors, function.P50Ms, function.P95Ms, function.P99Ms, function.ColdStarts,
            function.CostUsd, function.CostLastHourUsd, function.CostSpike);
    }
}

/// <summary>A failed invocation of the function, opening its transaction at that invocation.</summary>
public sealed record FailureLine(string InvocationId, DateTimeOffset Time, string Error, string? Version, bool ColdStart, string? Href)
{
    public string TimeText => Format.When(Time);

    public static FailureLine Of(FailedInvocation failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var invocation = failed.Invocation;
        var id = invocation.Id.ToString();
        var error = invocation.Failure is { } f ? $"{f.ErrorType}: {f.Message}" : "failed";
        return new FailureLine(id, invocation.Start, error, invocation.Version, invocation.ColdStart,
            failed.TransactionIds is [var transaction, ..] ? Links.Transaction(transaction, id) : null);
    }
}

/// <summary>
/// A function's page: invocations, errors and duration (p50, p95) per time bucket over the range, each chart with the
/// function's deployments as markers whose tooltip is the verdict; its issues and latest failures.
/// </summary>
public sealed record FunctionDetailModel(
    string Name,
    FunctionStats Stats,
    ChartModel Invocations,
    ChartModel Errors,
    ChartModel Duration,
    IReadOnlyList<DeploymentRow> Deployments,
    IReadOnlyList<IssueRow> Issues,
    IReadOnlyList<FailureLine> Failures)
{
    /// <summary>
    /// Buckets over [from, now] when a range is chosen, else from the first invocation to now; deployments in that
    /// span become markers.
    /// </summary>
    public static FunctionDetailModel Of(string name, IReadOnlyList<AnalyzedInvocation> invocations, IReadOnlyList<DeploymentResponse> deployments,
        IReadOnlyList<IssueSummaryResponse> issues, IReadOnlyList<FailedInvocation> failures, DateTimeOffset? from, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        ArgumentNullException.ThrowIfNull(deployments);
        var start = from ?? (invocations.Count > 0 ? invocations[0].Start : now);
        var end = invocations.Count > 0 && invocations[^1].Start > now ? invocations[^1].Start : now;
        var buckets = TimeBuckets.Over(start, end);
        var markers = deployments.Where(d => buckets.IndexOf(d.Time) >= 0)
            .Select(d => new ChartMarker(buckets.Position(d.Time), d.Version, d.Verdict, d.Time)).ToList();
        var labels = buckets.Labels();
        var durations = new[] { (50, "p50", "#6cb8f6"), (95, "p95", "#f7b955") }
            .Select(p => new ChartSeries(p.Item2, ChartModel.Aggregate(buckets, invocations, i => i.Start, i => i.DurationMs,
                v => Math.Round(Percentiles.Of([.. v.Order()], p.Item1), 1)), p.Item3))
            .ToList();
        return new FunctionDetailModel(name, FunctionStats.Of(name, invocations),
            new ChartModel("Invocations", "bar", labels, [new ChartSeries("Invocations", ChartModel.Count(buckets, invocations, i => i.Start), "#2b88d8")], markers,
                "invocations", Integer: true),
            new ChartModel("Errors", "bar", labels, [new ChartSeries("Errors", ChartModel.Count(buckets, invocations.Where(i => i.Failed), i => i.Start), "#ff6b6b")],
                markers, "errors", Integer: true),
            new ChartModel("Duration", "line", labels, durations, markers, "ms"),
            [.. deployments.Select(DeploymentRow.Of)],
            [.. issues.Select(IssueRow.Of)],
            [.. failures.Select(FailureLine.Of)]);
    }
}
