using System.Text.RegularExpressions;

namespace Threadline.Server.Security;

/// <summary>The names of users and tokens: short, printable, safe in a terminal and in a log line.</summary>
public static partial class AccountNames
{
    public static string? Problem(string name) =>
        Valid().IsMatch(name) ? null : $"'{name}' is not a valid name: use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex Valid();
}
