using System.Globalization;

namespace Threadline.Bench.Report;

internal enum Goal
{
    None,
    AtMost,
    AtLeast,
}

/// <summary>One measured figure: a key for the JSON, a label for the table, and the target of issue 8 if it has one.</summary>
internal sealed record Figure(string Key, string Section, string Label, double Value, string Unit, double? Target = null, Goal Goal = Goal.None, string? Note = null)
{
    public bool? Met => Target is not { } target || double.IsNaN(Value) ? null
        : Goal == Goal.AtMost ? Value <= target : Value >= target;

    public string Verdict => Met switch { true => "met", false => "MISSED", null => "" };

    public string TargetText => Target is not { } target ? "" : $"{(Goal == Goal.AtMost ? "≤" : "≥")} {Format(target)}";

    public string ValueText => double.IsNaN(Value) ? "n/a" : Format(Value);

    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}
