using System.Buffers;
using System.Text.Json;
using Google.Protobuf;

namespace Threadline.Ingest.Decode;

/// <summary>
/// OTLP/JSON differs from the canonical protobuf JSON mapping in one way that matters: trace and span ids
/// are hex strings, not base64. We rewrite those fields to base64 in one streaming pass and then let
/// Google.Protobuf's parser do the rest (enum numbers, int64 as strings, unknown fields ignored).
/// </summary>
internal static class OtlpJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static T Parse<T>(ReadOnlySpan<byte> json)
        where T : IMessage<T>, new()
    {
        string canonical;
        try
        {
            canonical = RewriteIds(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Utf8JsonReader reports a string that is not valid UTF-8 with InvalidOperationException (found by fuzzing).
            throw new OtlpFormatException($"The body is not valid JSON: {e.Message}", e);
        }

        try
        {
            return Parser.Parse<T>(canonical);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new OtlpFormatException($"The body is not a valid OTLP/JSON {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static string RewriteIds(ReadOnlySpan<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
        using (var writer = new Utf8JsonWriter(output))
        {
            var rewriteNext = false;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        rewriteNext = IsIdField(ref reader);
                        writer.WritePropertyName(reader.GetString()!);
                        continue;
                    case JsonTokenType.String when rewriteNext:
                        writer.WriteStringValue(HexToBase64(reader.GetString()!));
                        break;
                    default:
                        WriteToken(ref reader, writer);
                        break;
                }
                rewriteNext = false;
            }
        }
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static bool IsIdField(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("traceId"u8) || reader.ValueTextEquals("spanId"u8) || reader.ValueTextEquals("parentSpanId"u8)
        || reader.ValueTextEquals("trace_id"u8) || reader.ValueTextEquals("span_id"u8) || reader.ValueTextEquals("parent_span_id"u8);

    private static string HexToBase64(string hex)
    {
        try
        {
            return Convert.ToBase64String(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new OtlpFormatException($"'{Shorten(hex)}' is not a hex-encoded id (OTLP/JSON ids are hex strings).");
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    private static void WriteToken(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject: writer.WriteStartObject(); break;
            case JsonTokenType.EndObject: writer.WriteEndObject(); break;
            case JsonTokenType.StartArray: writer.WriteStartArray(); break;
            case JsonTokenType.EndArray: writer.WriteEndArray(); break;
            case JsonTokenType.String: writer.WriteStringValue(reader.GetString()); break;
            case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
            case JsonTokenType.True: writer.WriteBooleanValue(true); break;
            case JsonTokenType.False: writer.WriteBooleanValue(false); break;
            case JsonTokenType.Null: writer.WriteNullValue(); break;
        }
    }
}
