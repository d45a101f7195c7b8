using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadline.Tracer.Json;

/// <summary>Turns events, return values and AWS SDK request/response objects into JSON text for recording.</summary>
internal static class PayloadJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        MaxDepth = 32,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new StreamAsMarker(), new JsonStringEnumConverter() },
    };

    /// <summary>UTF-8 JSON of a value; null when it cannot be serialized.</summary>
    public static byte[]? ToUtf8(object? value)
    {
        if (value is null)
            return null;
        if (value is string s)
            return System.Text.Encoding.UTF8.GetBytes(s);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    public static string? ToText(object? value) =>
        value is string s ? s : ToUtf8(value) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Streams (S3 bodies, Lambda payload streams) are never read by the serializer.</summary>
    private sealed class StreamAsMarker : JsonConverter<Stream>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(Stream).IsAssignableFrom(typeToConvert);

        public override Stream Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Stream value, JsonSerializerOptions options) =>
            writer.WriteStringValue("[stream]");
    }
}
