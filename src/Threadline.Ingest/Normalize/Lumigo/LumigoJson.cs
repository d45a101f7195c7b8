using System.Globalization;
using System.Text.Json;

namespace Threadline.Ingest.Normalize.Lumigo;

/// <summary>Tolerant reads of a Lumigo span's fields: the tracers send numbers as strings and strings as numbers.</summary>
internal static class LumigoJson
{
    public static JsonElement? Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child)
            && child.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? child
            : null;

    public static JsonElement? Path(JsonElement element, params ReadOnlySpan<string> names)
    {
        JsonElement? current = element;
        foreach (var name in names)
        {
            current = current is { } c ? Child(c, name) : null;
            if (current is null)
                return null;
        }
        return current;
    }

    public static string? String(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString() is { Length: > 0 } s ? s : null,
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public static string? String(JsonElement element, string name) => String(Child(element, name));

    public static string? Text(JsonElement element) => String((JsonElement?)element);

    public static long? Long(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var l) => l,
        { ValueKind: JsonValueKind.Number } e when e.TryGetDouble(out var d) && double.IsFinite(d) && Math.Abs(d) < 9e18 => (long)d,
        { ValueKind: JsonValueKind.String } e when long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };

    public static long? Long(JsonElement element, string name) => Long(Child(element, name));

    /// <summary>A payload as text: strings as they are (the tracers send JSON already serialised), anything else as JSON.</summary>
    public static string? Payload(JsonElement? element) => element switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { } e => e.GetRawText(),
    };

    /// <summary>A JSON object given as an object or as a string holding one (headers), else null.</summary>
    public static JsonElement? Object(JsonElement? element)
    {
        if (element is { ValueKind: JsonValueKind.Object } obj)
            return obj;
        if (element is { ValueKind: JsonValueKind.String } text && text.GetString() is { Length: > 1 } s && s[0] == '{')
        {
            try
            {
                using var document = JsonDocument.Parse(s);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }
        return null;
    }

    public static IEnumerable<JsonElement> Items(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>A header value by case-insensitive name.</summary>
    public static string? Header(JsonElement? headers, string name)
    {
        if (headers is not { ValueKind: JsonValueKind.Object } obj)
            return null;
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return String(property.Value);
        }
        return null;
    }
}
