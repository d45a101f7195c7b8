using System.Text.Json;
using Google.Protobuf;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Common;

namespace Threadline.Ingest.Normalize;

/// <summary>
/// Helpers for the translators of other tracers' formats (X-Ray, Zipkin): they build OTLP messages, so that their
/// spans go through the same normalizer, caps and id checks as OTLP's.
/// </summary>
internal static class OtlpMessageBuilder
{
    public static void Add(this ICollection<KeyValue> attributes, string key, string? value)
    {
        if (value is not null)
            attributes.Add(new KeyValue { Key = key, Value = new AnyValue { StringValue = value } });
    }

    public static void Add(this ICollection<KeyValue> attributes, string key, long? value)
    {
        if (value is { } v)
            attributes.Add(new KeyValue { Key = key, Value = new AnyValue { IntValue = v } });
    }

    public static void Add(this ICollection<KeyValue> attributes, string key, bool? value)
    {
        if (value is { } v)
            attributes.Add(new KeyValue { Key = key, Value = new AnyValue { BoolValue = v } });
    }

    public static void AddStrings(this ICollection<KeyValue> attributes, string key, IEnumerable<string> values)
    {
        var array = new ArrayValue();
        array.Values.AddRange(values.Select(v => new AnyValue { StringValue = v }));
        attributes.Add(new KeyValue { Key = key, Value = new AnyValue { ArrayValue = array } });
    }

    /// <summary>A JSON scalar as an attribute value (string, integer, double or bool); objects and arrays as their JSON text.</summary>
    public static void AddJson(this ICollection<KeyValue> attributes, string key, JsonElement value)
    {
        AnyValue? any = value.ValueKind switch
        {
            JsonValueKind.String => new AnyValue { StringValue = value.GetString() },
            JsonValueKind.Number when value.TryGetInt64(out var integer) => new AnyValue { IntValue = integer },
            JsonValueKind.Number => new AnyValue { DoubleValue = value.GetDouble() },
            JsonValueKind.True or JsonValueKind.False => new AnyValue { BoolValue = value.GetBoolean() },
            JsonValueKind.Object or JsonValueKind.Array => new AnyValue { StringValue = value.GetRawText() },
            _ => null,
        };
        if (any is not null)
            attributes.Add(new KeyValue { Key = key, Value = any });
    }

    /// <summary>Hex digits (an even count) as bytes; the location and field name in the error otherwise.</summary>
    public static ByteString Hex(string hex, int bytes, string location, string field)
    {
        if (hex.Length != bytes * 2)
            throw new OtlpFormatException($"{location}: {field} must be {bytes * 2} hex digits, got '{Shorten(hex)}'.");
        try
        {
            return ByteString.CopyFrom(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new OtlpFormatException($"{location}: {field} must be hex digits, got '{Shorten(hex)}'.");
        }
    }

    public static string? OptionalString(JsonElement parent, string name, string location) =>
        parent.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new OtlpFormatException($"{location}: {name} must be a string, got {value.ValueKind.ToString().ToLowerInvariant()}."),
        } : null;

    public static string RequiredString(JsonElement parent, string name, string location) =>
        OptionalString(parent, name, location) ?? throw new OtlpFormatException($"{location}: {name} is missing.");

    public static JsonElement? OptionalObject(JsonElement parent, string name, string location) =>
        parent.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Object => value,
            JsonValueKind.Null => null,
            _ => throw new OtlpFormatException($"{location}: {name} must be an object, got {value.ValueKind.ToString().ToLowerInvariant()}."),
        } : null;

    public static JsonElement? OptionalArray(JsonElement parent, string name, string location) =>
        parent.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Array => value,
            JsonValueKind.Null => null,
            _ => throw new OtlpFormatException($"{location}: {name} must be an array, got {value.ValueKind.ToString().ToLowerInvariant()}."),
        } : null;

    public static double? OptionalNumber(JsonElement parent, string name, string location) =>
        parent.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.Null => null,
            _ => throw new OtlpFormatException($"{location}: {name} must be a number, got {value.ValueKind.ToString().ToLowerInvariant()}."),
        } : null;

    public static bool Flag(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A scalar JSON value as text (for tags and annotations that may be numbers or bools).</summary>
    public static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    /// <summary>
    /// A time or duration in some unit (X-Ray: seconds with a fraction, Zipkin: microseconds) as nanoseconds, read as a
    /// decimal so that no digit is lost (a double of epoch nanoseconds is only precise to 256 ns); null when absent.
    /// </summary>
    public static ulong? OptionalNanos(JsonElement parent, string name, long nanosPerUnit, string location)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number)
            throw new OtlpFormatException($"{location}: {name} must be a number, got {value.ValueKind.ToString().ToLowerInvariant()}.");
        if (!value.TryGetDecimal(out var number) || number < 0 || number * nanosPerUnit >= long.MaxValue)
            throw new OtlpFormatException($"{location}: {name} {value.GetRawText()} is not a time after 1970 and before 2262.");
        return (ulong)decimal.Round(number * nanosPerUnit);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
