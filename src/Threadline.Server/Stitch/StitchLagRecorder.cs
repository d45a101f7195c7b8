using Threadline.Stitching;

namespace Threadline.Server.Stitch;

/// <summary>
/// Keeps the stitch lag of the most recent links (how long after both sides of a hop had arrived the link
/// appeared), so that the API can report its percentiles. A fixed window keeps memory constant.
/// </summary>
public sealed class StitchLagRecorder
{
    private const int Window = 10_000;

    private readonly double[] _lagsMs = new double[Window];
    private readonly Lock _lock = new();
    private long _linked;

    public void Record(IReadOnlyList<Hop> linked)
    {
        lock (_lock)
        {
            foreach (var hop in linked)
                _lagsMs[_linked++ % Window] = hop.StitchLag.TotalMilliseconds;
        }
    }

    /// <summary>How many hops were linked since start, and the lag percentiles over the most recent ones.</summary>
    public (long Linked, double P50Ms, double P99Ms, double MaxMs) Snapshot()
    {
        double[] lags;
        long linked;
        lock (_lock)
        {
            linked = _linked;
            lags = _lagsMs[..(int)Math.Min(linked, Window)];
        }
        if (lags.Length == 0)
            return (0, 0, 0, 0);
        Array.Sort(lags);
        return (linked, Percentile(lags, 0.50), Percentile(lags, 0.99), lags[^1]);
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Length) - 1];
}
