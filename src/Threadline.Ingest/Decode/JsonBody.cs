using System.Text.Json;

namespace Threadline.Ingest.Decode;

/// <summary>Parses a JSON body or document for the non-OTLP formats; malformed JSON says where and what.</summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <exception cref="OtlpFormatException">The text is not one JSON value.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what)
    {
        if (InvalidUtf8At(utf8.Span) is { } at)
            throw new OtlpFormatException($"{what} is not valid UTF-8 (byte {at + 1}).");
        try
        {
            return JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException e)
        {
            throw new OtlpFormatException(
                $"{what} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}", e);
        }
    }

    /// <summary>
    /// Where the text stops being UTF-8, or null. JsonDocument checks the structure but transcodes strings only when read,
    /// so this is checked first; what remains, an escaped lone surrogate, <see cref="Read{T}"/> turns into the same error.
    /// </summary>
    public static int? InvalidUtf8At(ReadOnlySpan<byte> utf8)
    {
        var at = 0;
        while (at < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[at..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
                return at;
            at += consumed;
        }
        return null;
    }

    /// <summary>Runs a translation of a parsed document, turning a string that cannot be read (an escaped lone surrogate) into a format error.</summary>
    public static T Read<T>(Func<T> translate, string what)
    {
        try
        {
            return translate();
        }
        catch (InvalidOperationException e)
        {
            throw new OtlpFormatException($"{what} has a string that is not valid Unicode: {e.Message}", e);
        }
    }

    /// <summary>System.Text.Json's message repeats the position it also reports; keep the part that says what.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
