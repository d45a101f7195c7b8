using System.Globalization;
using System.Text.RegularExpressions;

namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// Reads ClickHouse's error text: 18.16 writes "Code: 47, e.displayText() = DB::Exception: …, e.what() = …",
/// newer servers "Code: 47. DB::Exception: … (UNKNOWN_IDENTIFIER) (version 24.8.1.1)".
/// </summary>
internal static partial class ClickHouseErrorText
{
    public static bool TryParse(string text, out int code, out string message)
    {
        var match = ErrorPattern().Match(text);
        if (!match.Success)
        {
            code = 0;
            message = text.Trim();
            return false;
        }
        code = int.Parse(match.Groups["code"].Value, CultureInfo.InvariantCulture);
        message = match.Groups["message"].Value.Trim();
        var what = message.IndexOf(", e.what() = ", StringComparison.Ordinal);
        if (what >= 0)
            message = message[..what];
        return true;
    }

    [GeneratedRegex(@"Code: (?<code>\d+)[.,]\s*(?:e\.displayText\(\) = )?(?<message>.*)", RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();
}
