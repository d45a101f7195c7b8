using System.Globalization;
using System.Text;

namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// Values written into SQL text. ClickHouse 18.16 has no server-side query parameters (<c>{name:Type}</c> with
/// <c>param_name</c> arrived in 19.x: 18.16 answers "Unknown setting param_x"), so every value a query needs is
/// written as a literal by these functions and nowhere else. Strings become single-quoted literals in which the
/// quote, the backslash and every control byte are escaped, so no input can end the literal early.
/// </summary>
public static class ClickHouseSql
{
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\0': builder.Append(@"\0"); break;
                case < ' ' or '\u007f':
                    builder.Append(@"\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('\'').ToString();
    }

    public static string Literal(string? value, bool nullable) => value is null && nullable ? "NULL" : Literal(value ?? "");

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A database or table name: only letters, digits and underscores (not starting with a digit), quoted.</summary>
    public static string Identifier(string name)
    {
        if (!IsPlainIdentifier(name))
            throw new ArgumentException($"'{name}' is not a valid ClickHouse name here (use letters, digits and '_', not starting with a digit)", nameof(name));
        return $"`{name}`";
    }

    public static bool IsPlainIdentifier(string name) =>
        name.Length is > 0 and <= 200 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
