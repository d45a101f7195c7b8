namespace Threadline.Demo.Scenario;

/// <summary>How long the scenario drives traffic, how much, and the seed that makes a run repeatable.</summary>
public sealed record ScenarioOptions
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(120);
    public const double DefaultRate = 4;
    public const int DefaultSeed = 42;

    /// <summary>The phases scale with it: a 60-second run shows all of them.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>Payments per second in normal traffic.</summary>
    public double Rate { get; init; } = DefaultRate;

    public int Seed { get; init; } = DefaultSeed;

    /// <summary>How many customers there are (about one in five a VIP).</summary>
    public int Users { get; init; } = 40;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Duration <= TimeSpan.Zero)
            errors.Add("--duration must be positive.");
        if (Rate is <= 0 or > 200 || double.IsNaN(Rate))
            errors.Add("--rate must be between 0 (exclusive) and 200 payments per second.");
        if (Users < 1)
            errors.Add("there must be at least one user.");
        return errors;
    }
}
