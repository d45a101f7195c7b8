using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace Threadline.Ingest.Decode;

/// <summary>
/// Decodes what the Lumigo tracers post to <c>/api/spans</c> into the JSON array of spans. The Node tracer sends the
/// array as is; the Python tracer, for large invocations (<c>LUMIGO_SUPPORT_LARGE_INVOCATIONS</c>), sends each bulk as
/// a JSON string holding base64 of the gzipped array. A bare base64 text or raw gzip bytes are accepted too (an HTTP
/// <c>Content-Encoding: gzip</c> is undone before this, by the receiver).
/// </summary>
public static class LumigoBulkDecoder
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 128 };

    /// <summary>The decoded bulk, whose root element is an array; the caller disposes it.</summary>
    /// <exception cref="LumigoFormatException">The body is not a span bulk in any of the accepted shapes.</exception>
    public static JsonDocument Decode(ReadOnlyMemory<byte> body, int maxDecodedBytes)
    {
        var text = body.Span.TrimStart(" \t\r\n"u8);
        if (text.IsEmpty)
            throw new LumigoFormatException("The body is empty; send a JSON array of Lumigo spans.");
        if (IsGzip(text))
            return Decode(Gunzip(text.ToArray(), maxDecodedBytes), maxDecodedBytes, nested: true);
        return text[0] switch
        {
            (byte)'[' => ParseArray(body),
            (byte)'"' => Decode(FromBase64(JsonString(body)), maxDecodedBytes, nested: false),
            (byte)'{' => throw new LumigoFormatException("The body is a JSON object; the Lumigo span bulk is a JSON array of spans."),
            _ => Decode(FromBase64(System.Text.Encoding.ASCII.GetString(text.TrimEnd(" \t\r\n"u8))), maxDecodedBytes, nested: false),
        };
    }

    private static JsonDocument Decode(byte[] decoded, int maxDecodedBytes, bool nested)
    {
        var text = decoded.AsSpan().TrimStart(" \t\r\n"u8);
        if (!text.IsEmpty && text[0] == (byte)'[')
            return ParseArray(decoded);
        if (!nested && IsGzip(text))
            return Decode(Gunzip(decoded, maxDecodedBytes), maxDecodedBytes, nested: true);
        throw new LumigoFormatException(nested
            ? "The decompressed bulk is not a JSON array of spans."
            : "The base64 bulk holds neither gzip data nor a JSON array of spans.");
    }

    private static JsonDocument ParseArray(ReadOnlyMemory<byte> json)
    {
        // JsonDocument checks a string's UTF-8 only when it is read; a bad one would fail the normalizer (found by fuzzing).
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
            throw new LumigoFormatException("The body is not valid UTF-8 JSON.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new LumigoFormatException($"The body is not valid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // Invalid UTF-8 inside a string is reported as ArgumentException by some readers.
            throw new LumigoFormatException($"The body is not valid JSON: {e.Message}", e);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new LumigoFormatException("The bulk is not a JSON array of spans.");
        }
        return document;
    }

    private static string JsonString(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            return document.RootElement.GetString()!;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new LumigoFormatException($"The body starts as a JSON string (a zipped bulk) but is not valid JSON: {e.Message}", e);
        }
    }

    private static byte[] FromBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new LumigoFormatException("The body is neither a JSON array of spans nor a base64-encoded (gzipped) bulk.", e);
        }
    }

    private static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    private static byte[] Gunzip(byte[] compressed, int maxDecodedBytes)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var output = new ArrayBufferWriter<byte>(Math.Min(maxDecodedBytes, Math.Max(1024, compressed.Length * 4)));
        try
        {
            while (true)
            {
                var read = input.Read(output.GetSpan(16 * 1024));
                if (read == 0)
                    break;
                output.Advance(read);
                if (output.WrittenCount > maxDecodedBytes)
                    throw new LumigoFormatException($"The decompressed bulk is larger than the limit of {maxDecodedBytes} bytes.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new LumigoFormatException($"The bulk is not valid gzip: {e.Message}", e);
        }
        return output.WrittenSpan.ToArray();
    }
}
