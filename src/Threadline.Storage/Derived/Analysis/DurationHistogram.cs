namespace Threadline.Storage.Derived.Analysis;

/// <summary>
/// Fixed log-scale buckets of durations: bucket 0 holds durations up to 1 µs, bucket b (b ≥ 1) durations in
/// (1 µs·γ^(b-1), 1 µs·γ^b] with γ = 1.02, so a percentile read from the buckets is within 2% of the exact one,
/// whatever the range or backend (the same buckets in every store, summed with plain GROUP BY).
/// </summary>
public static class DurationHistogram
{
    public const double Gamma = 1.02;
    private const double MinimumNanos = 1_000;
    private static readonly double LogGamma = Math.Log(Gamma);

    public static int BucketOf(long durationNanos) =>
        durationNanos <= MinimumNanos ? 0 : (int)Math.Ceiling(Math.Log(durationNanos / MinimumNanos) / LogGamma - 1e-9);

    /// <summary>The upper bound of the bucket, in milliseconds.</summary>
    public static double UpperBoundMs(int bucket) => MinimumNanos * Math.Pow(Gamma, bucket) / 1e6;

    /// <summary>Nearest-rank percentile over bucket counts: the upper bound of the bucket holding that rank; 0 when empty.</summary>
    public static double Percentile(IReadOnlyDictionary<int, long> buckets, double percent)
    {
        var total = buckets.Values.Sum();
        if (total == 0)
            return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * total));
        long seen = 0;
        foreach (var (bucket, count) in buckets.OrderBy(b => b.Key))
        {
            seen += count;
            if (seen >= rank)
                return UpperBoundMs(bucket);
        }
        return UpperBoundMs(buckets.Keys.Max());
    }

    /// <summary>Adds the counts of <paramref name="other"/> into <paramref name="into"/>.</summary>
    public static void Add(Dictionary<int, long> into, IReadOnlyDictionary<int, long> other)
    {
        foreach (var (bucket, count) in other)
            into[bucket] = into.GetValueOrDefault(bucket) + count;
    }
}
