using System.Globalization;
using System.Text.RegularExpressions;

namespace Threadline.Query.Parsing;

/// <summary>Durations as queries write them: a decimal number and a unit (ns, us or µs, ms, s, m, h).</summary>
public static partial class DurationText
{
    private static readonly (string Unit, long Nanoseconds)[] Units =
        [("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1)];

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)(?<unit>ns|us|µs|ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The duration in whole nanoseconds (rounded), or null when the text is not a duration or is too large.</summary>
    public static long? TryParse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
            return null;
        var unit = match.Groups["unit"].Value == "µs" ? "us" : match.Groups["unit"].Value;
        var scale = Units.Single(u => u.Unit == unit).Nanoseconds;
        // decimal keeps 1.5s exact; 28 significant digits cover every long.
        if (!decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return null;
        try
        {
            var nanoseconds = decimal.Round(number * scale, MidpointRounding.AwayFromZero);
            return nanoseconds > long.MaxValue ? null : (long)nanoseconds;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The canonical text: a whole number of the largest unit that divides it (1.5s is written 1500ms).</summary>
    public static string Format(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        if (nanoseconds == 0)
            return "0ms";
        var (unit, scale) = Units.First(u => nanoseconds % u.Nanoseconds == 0);
        return (nanoseconds / scale).ToString(CultureInfo.InvariantCulture) + unit;
    }
}
