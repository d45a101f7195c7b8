using System.CommandLine.Parsing;
using System.Globalization;

namespace Threadline.Commands;

/// <summary>Option defaults taken from THREADLINE_* environment variables; a flag on the command line wins.</summary>
internal static class EnvironmentDefault
{
    public static string String(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;

    /// <summary>A malformed value is reported as a parse error, like a malformed flag would be.</summary>
    public static int Int(ArgumentResult result, string variable, int fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
            return fallback;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            return number;
        result.AddError($"{variable}='{value}' is not a whole number.");
        return fallback;
    }
}
