using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Threadline.Telemetry;

namespace Threadline.Storage.Encoding;

/// <summary>
/// The JSON form in which backends store attribute sets, events and links. Attributes are one JSON object,
/// so they are readable and searchable with the backend's JSON functions, and the value types survive the
/// round trip: integers are written without a decimal point and doubles always with one (or an exponent),
/// bytes as <c>{"$bytes": base64}</c>, non-finite doubles as <c>{"$double": "NaN"}</c>.
/// </summary>
public static class TelemetryJson
{
    private const string BytesMarker = "$bytes";
    private const string DoubleMarker = "$double";

    public static string WriteAttributes(IReadOnlyList<KeyValue> attributes) =>
        attributes.Count == 0 ? "{}" : Write(writer => WriteObject(writer, attributes));

    public static string WriteValue(object? value) => Write(writer => WriteAnyValue(writer, value));

    public static string WriteEvents(IReadOnlyList<SpanEvent> events) => events.Count == 0 ? "[]" : Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var e in events)
        {
            writer.WriteStartObject();
            writer.WriteString("name", e.Name);
            writer.WriteNumber("time", e.TimeUnixNano);
            writer.WritePropertyName("attributes");
            WriteObject(writer, e.Attributes);
            if (e.DroppedAttributesCount != 0)
                writer.WriteNumber("dropped", e.DroppedAttributesCount);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    public static string WriteLinks(IReadOnlyList<SpanLink> links) => links.Count == 0 ? "[]" : Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var link in links)
        {
            writer.WriteStartObject();
            writer.WriteString("traceId", TelemetryIds.FormatTraceId(link.TraceId));
            writer.WriteString("spanId", TelemetryIds.FormatSpanId(link.SpanId));
            if (link.TraceState is not null)
                writer.WriteString("traceState", link.TraceState);
            writer.WritePropertyName("attributes");
            WriteObject(writer, link.Attributes);
            if (link.Flags != 0)
                writer.WriteNumber("flags", link.Flags);
            if (link.DroppedAttributesCount != 0)
                writer.WriteNumber("dropped", link.DroppedAttributesCount);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    public static IReadOnlyList<KeyValue> ReadAttributes(string json)
    {
        if (json is "{}" or "")
            return [];
        using var document = JsonDocument.Parse(json);
        return ReadObject(document.RootElement);
    }

    public static object? ReadValue(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadAnyValue(document.RootElement);
    }

    public static IReadOnlyList<SpanEvent> ReadEvents(string json)
    {
        if (json is "[]" or "")
            return [];
        using var document = JsonDocument.Parse(json);
        var events = new List<SpanEvent>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            events.Add(new SpanEvent(
                e.GetProperty("name").GetString() ?? "",
                e.GetProperty("time").GetInt64(),
                ReadObject(e.GetProperty("attributes")),
                e.TryGetProperty("dropped", out var dropped) ? dropped.GetUInt32() : 0));
        }
        return events;
    }

    public static IReadOnlyList<SpanLink> ReadLinks(string json)
    {
        if (json is "[]" or "")
            return [];
        using var document = JsonDocument.Parse(json);
        var links = new List<SpanLink>();
        foreach (var link in document.RootElement.EnumerateArray())
        {
            TelemetryIds.TryParseTraceId(link.GetProperty("traceId").GetString(), out var traceId);
            TelemetryIds.TryParseSpanId(link.GetProperty("spanId").GetString(), out var spanId);
            links.Add(new SpanLink(
                traceId,
                spanId,
                link.TryGetProperty("traceState", out var state) ? state.GetString() : null,
                ReadObject(link.GetProperty("attributes")),
                link.TryGetProperty("flags", out var flags) ? flags.GetUInt32() : 0,
                link.TryGetProperty("dropped", out var dropped) ? dropped.GetUInt32() : 0));
        }
        return links;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteObject(Utf8JsonWriter writer, IReadOnlyList<KeyValue> attributes)
    {
        writer.WriteStartObject();
        foreach (var attribute in attributes)
        {
            writer.WritePropertyName(attribute.Key);
            WriteAnyValue(writer, attribute.Value);
        }
        writer.WriteEndObject();
    }

    private static void WriteAnyValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: WriteDouble(writer, d); break;
            case byte[] bytes:
                writer.WriteStartObject();
                writer.WriteBase64String(BytesMarker, bytes);
                writer.WriteEndObject();
                break;
            case IReadOnlyList<KeyValue> list: WriteObject(writer, list); break;
            case IReadOnlyList<object?> array:
                writer.WriteStartArray();
                foreach (var item in array)
                    WriteAnyValue(writer, item);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteStartObject();
            writer.WriteString(DoubleMarker, value.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            return;
        }
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.AsSpan().IndexOfAny('.', 'E', 'e') < 0)
            text += ".0";
        writer.WriteRawValue(text, skipInputValidation: true);
    }

    private static IReadOnlyList<KeyValue> ReadObject(JsonElement element)
    {
        var result = new List<KeyValue>();
        foreach (var property in element.EnumerateObject())
            result.Add(new KeyValue(property.Name, ReadAnyValue(property.Value)));
        return result;
    }

    private static object? ReadAnyValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => ReadNumber(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ReadAnyValue).ToArray(),
        JsonValueKind.Object => ReadObjectValue(element),
        _ => null,
    };

    private static object ReadNumber(JsonElement element)
    {
        var raw = element.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'E', 'e') < 0 && element.TryGetInt64(out var l))
            return l;
        return element.GetDouble();
    }

    private static object ReadObjectValue(JsonElement element)
    {
        if (element.TryGetProperty(BytesMarker, out var bytes) && CountProperties(element) == 1)
            return bytes.GetBytesFromBase64();
        if (element.TryGetProperty(DoubleMarker, out var special) && CountProperties(element) == 1)
            return double.Parse(special.GetString()!, CultureInfo.InvariantCulture);
        return ReadObject(element);
    }

    private static int CountProperties(JsonElement element)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
            count++;
        return count;
    }
}
