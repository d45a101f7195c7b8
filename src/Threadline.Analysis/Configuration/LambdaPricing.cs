namespace Threadline.Analysis.Configuration;

/// <summary>
/// Lambda prices in USD (first pricing tier, us-east-1, by default): per million requests and per GB-second of each
/// architecture. Memory without <c>faas.max_memory</c> is taken as <see cref="DefaultMemoryMb"/>.
/// </summary>
public sealed class LambdaPricing
{
    public decimal RequestsPerMillion { get; init; } = 0.20m;
    public decimal X86GbSecond { get; init; } = 0.0000166667m;
    public decimal Arm64GbSecond { get; init; } = 0.0000133334m;
    public int DefaultMemoryMb { get; init; } = 128;

    public IReadOnlyList<string> Validate() =>
        RequestsPerMillion < 0 || X86GbSecond < 0 || Arm64GbSecond < 0 || DefaultMemoryMb <= 0
            ? ["Lambda prices must not be negative and the default memory must be positive."]
            : [];
}
