using System.Text.RegularExpressions;

namespace Threadline.Analysis.Issues;

/// <summary>
/// Makes error messages of the same fault equal: quoted values, GUIDs, times, hex strings, e-mail addresses, ids
/// with digits and plain numbers are replaced by placeholders; whitespace is collapsed.
/// </summary>
public static partial class MessageNormalizer
{
    public const int MaxLength = 300;

    public static string Normalize(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
            return "";
        var text = message.Trim();
        var newline = text.IndexOfAny(['\r', '\n']);
        if (newline > 0)
            text = text[..newline];
        text = Quoted().Replace(text, "<str>");
        text = Guid().Replace(text, "<guid>");
        text = IsoTime().Replace(text, "<time>");
        text = Email().Replace(text, "<email>");
        text = IpAddress().Replace(text, "<ip>");
        text = Hex().Replace(text, "<hex>");
        text = IdWithDigits().Replace(text, "<id>");
        text = Number().Replace(text, "<n>");
        text = Spaces().Replace(text, " ");
        return text.Length > MaxLength ? text[..MaxLength] : text;
    }

    [GeneratedRegex("""'[^']*'|"[^"]*"|`[^`]*`|‘[^’]*’|“[^”]*”""")]
    private static partial Regex Quoted();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    /// <summary><c>0x…</c>, or a run of 8+ hex digits that holds a digit (so plain words stay).</summary>
    [GeneratedRegex(@"\b0x[0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b")]
    private static partial Regex Hex();

    /// <summary>A token mixing letters and digits (<c>ord_8f3k2</c>, <c>req-12ab</c>, <c>i-0abc</c>), joined by - or _.</summary>
    [GeneratedRegex(@"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*\b")]
    private static partial Regex IdWithDigits();

    /// <summary>A number; its sign only where it cannot be a separator (<c>2010-04-01</c> is three numbers).</summary>
    [GeneratedRegex(@"(?<![\w.])[-+]?\d+(\.\d+)?|\d+(\.\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b")]
    private static partial Regex IpAddress();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
