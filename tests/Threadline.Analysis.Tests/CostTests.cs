using Threadline.Analysis.Configuration;
using Threadline.Analysis.Cost;

namespace Threadline.Analysis.Tests;

/// <summary>Lambda cost arithmetic, exact to the last decimal.</summary>
public sealed class CostTests
{
    private static readonly LambdaPricing Pricing = new();

    [Theory]
    [InlineData(100_000_000L, 100L)]
    [InlineData(100_000_001L, 101L)]
    [InlineData(100_200_000L, 101L)]
    [InlineData(999_999L, 1L)]
    [InlineData(0L, 0L)]
    public void Billed_duration_is_rounded_up_to_the_next_millisecond(long nanos, long billed) =>
        Assert.Equal(billed, LambdaCost.BilledMilliseconds(nanos));

    [Fact]
    public void X86_1024_mb_for_100_2_ms_bills_101_ms_of_one_gb()
    {
        // 0.101 GB-s × 0.0000166667 + 0.20 / 1e6
        Assert.Equal(0.0000018833367m, LambdaCost.Of(Pricing, 100_200_000, 1024L * 1024 * 1024, "amd64"));
    }

    [Fact]
    public void Arm64_512_mb_for_one_second_is_half_a_gb_second_at_the_arm_price()
    {
        // 0.5 GB-s × 0.0000133334 + 0.0000002
        Assert.Equal(0.0000068667m, LambdaCost.Of(Pricing, 1_000_000_000, 512L * 1024 * 1024, "arm64"));
    }

    [Fact]
    public void Missing_memory_uses_the_configured_default_and_prices_are_configurable()
    {
        var custom = new LambdaPricing { RequestsPerMillion = 1m, X86GbSecond = 0.001m, DefaultMemoryMb = 2048 };
        // 2 GB × 0.25 s × 0.001 + 1 / 1e6
        Assert.Equal(0.000501m, LambdaCost.Of(custom, 250_000_000, null, null));
    }
}
