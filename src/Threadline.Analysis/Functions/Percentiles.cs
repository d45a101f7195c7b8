namespace Threadline.Analysis.Functions;

/// <summary>Nearest-rank percentiles.</summary>
public static class Percentiles
{
    /// <summary>The smallest value with at least <paramref name="percent"/>% of the values at or below it; 0 when empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
            return 0;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
