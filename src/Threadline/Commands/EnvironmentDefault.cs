using System.Globalization;

namespace Threadline.Commands;

/// <summary>Option defaults taken from THREADLINE_* environment variables; a flag on the command line wins.</summary>
internal static class EnvironmentDefault
{
    public static string String(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;

    public static int Int(string variable, int fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
            return fallback;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidOperationException($"{variable}='{value}' is not a whole number.");
    }
}
