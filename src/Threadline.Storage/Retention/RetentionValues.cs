using System.Globalization;
using System.Text.RegularExpressions;

namespace Threadline.Storage.Retention;

/// <summary>The text forms of retention settings: ages such as <c>7d</c>, <c>12h</c>, <c>30m</c> and sizes such as <c>10GB</c>, <c>500MB</c>.</summary>
public static partial class RetentionValues
{
    /// <summary>An age: a whole number and a unit, <c>d</c> (days), <c>h</c>, <c>m</c> (minutes) or <c>s</c>.</summary>
    public static TimeSpan? ParseAge(string text, string what, List<string> errors)
    {
        var match = AgePattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > 36_500)
        {
            errors.Add($"{what} must be a positive age such as 7d, 12h, 30m or 90s (got '{text}').");
            return null;
        }
        return match.Groups[2].Value.ToLowerInvariant() switch
        {
            "d" => TimeSpan.FromDays(number),
            "h" => TimeSpan.FromHours(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => TimeSpan.FromSeconds(number),
        };
    }

    /// <summary>A size: a whole number of bytes, or with a unit KB, MB, GB, TB (powers of 1024; a trailing B, i or iB is optional).</summary>
    public static long? ParseBytes(string text, string what, List<string> errors)
    {
        var match = SizePattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            errors.Add($"{what} must be a size such as 10GB, 500MB or a number of bytes (got '{text}').");
            return null;
        }
        var shift = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "K" => 10,
            "M" => 20,
            "G" => 30,
            "T" => 40,
            _ => 0,
        };
        if (number > long.MaxValue >> shift)
        {
            errors.Add($"{what} is too large (got '{text}').");
            return null;
        }
        return number << shift;
    }

    [GeneratedRegex(@"^(\d{1,12})\s*([dhms])$", RegexOptions.IgnoreCase)]
    private static partial Regex AgePattern();

    [GeneratedRegex(@"^(\d{1,18})\s*(?:([KMGT])(?:i?B)?|B)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();
}
