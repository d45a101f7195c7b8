using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Functions;

/// <summary>Counts and durations of a set of invocations of one function.</summary>
public sealed record FunctionStats(string Function, int Invocations, int Errors, double P50Ms, double P95Ms, double P99Ms, int ColdStarts, decimal CostUsd)
{
    public static FunctionStats Of(string function, IReadOnlyCollection<AnalyzedInvocation> invocations)
    {
        var durations = invocations.Select(i => i.DurationMs).Order().ToList();
        return new FunctionStats(function, invocations.Count, invocations.Count(i => i.Failed),
            Round(Percentiles.Of(durations, 50)), Round(Percentiles.Of(durations, 95)), Round(Percentiles.Of(durations, 99)),
            invocations.Count(i => i.ColdStart), invocations.Sum(i => i.CostUsd));
    }

    private static double Round(double ms) => Math.Round(ms, 3);
}
