using System.Text.Json;

namespace Threadline.Ingest.Decode;

/// <summary>Parses a JSON body or document for the non-OTLP formats; malformed JSON says where and what.</summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <exception cref="OtlpFormatException">The text is not one JSON value.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what)
    {
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

    /// <summary>System.Text.Json's message repeats the position it also reports; keep the part that says what.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
