namespace Threadline.Bench.Workload;

/// <summary>What to generate: the seed fixes every byte; the times place the transactions on the time axis.</summary>
internal sealed record WorkloadOptions(int Seed, bool Payloads, long StartUnixNano, long SpacingNanos, int SpansPerRequest = 500)
{
    /// <summary>About this many spans per transaction on average (3–30 invocations, skewed small; ~3.7 spans each).</summary>
    public const int MeanSpansPerTransaction = 45;

    /// <summary>Transactions spread evenly over the <paramref name="window"/> that ends now.</summary>
    public static WorkloadOptions EndingNow(int seed, bool payloads, long spans, TimeSpan window)
    {
        var transactions = Math.Max(1, spans / MeanSpansPerTransaction);
        var windowNanos = (long)window.TotalMilliseconds * 1_000_000;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        return new WorkloadOptions(seed, payloads, now - windowNanos, windowNanos / transactions);
    }
}
