using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Cost;

/// <summary>
/// The Lambda bill of one invocation: one request plus GB-seconds at the architecture's price, with the duration
/// rounded up to the next millisecond and the memory as configured (GB = MB / 1024).
/// </summary>
public static class LambdaCost
{
    private const decimal BytesPerGb = 1024m * 1024m * 1024m;

    public static long BilledMilliseconds(long durationNanos) =>
        durationNanos <= 0 ? 0 : (durationNanos + 999_999) / 1_000_000;

    public static bool IsArm(string? architecture) =>
        architecture is not null && (architecture.Equals("arm64", StringComparison.OrdinalIgnoreCase)
            || architecture.Equals("aarch64", StringComparison.OrdinalIgnoreCase));

    /// <summary>The billed duration times the configured memory, in GB-seconds.</summary>
    public static double GbSeconds(LambdaPricing pricing, long durationNanos, long? memoryBytes)
    {
        var memory = memoryBytes is > 0 ? memoryBytes.Value : pricing.DefaultMemoryMb * 1024L * 1024L;
        return (double)(BilledMilliseconds(durationNanos) / 1000m * (memory / BytesPerGb));
    }

    public static decimal Of(LambdaPricing pricing, long durationNanos, long? memoryBytes, string? architecture)
    {
        var memory = memoryBytes is > 0 ? memoryBytes.Value : pricing.DefaultMemoryMb * 1024L * 1024L;
        var gbSeconds = BilledMilliseconds(durationNanos) / 1000m * (memory / BytesPerGb);
        var perGbSecond = IsArm(architecture) ? pricing.Arm64GbSecond : pricing.X86GbSecond;
        return pricing.RequestsPerMillion / 1_000_000m + gbSeconds * perGbSecond;
    }
}
