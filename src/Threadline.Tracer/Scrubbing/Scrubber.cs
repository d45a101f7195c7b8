using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Threadline.Tracer.Scrubbing;

/// <summary>Masks sensitive values in JSON documents (also JSON nested in strings), query strings, headers and the environment.</summary>
internal sealed class Scrubber(ScrubRules rules)
{
    // Recorded payloads are read by people and the UI: keep "&", quotes and non-ASCII text as written.
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public ScrubRules Rules => rules;

    /// <summary>Scrubs a payload whatever it is: JSON, a form/query string, or plain text (returned as is).</summary>
    public string ScrubText(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && TryParse(text, out var node))
            return Scrub(node).ToJsonString(Compact);
        return LooksLikeQuery(text) ? ScrubQuery(text) : text;
    }

    /// <summary>Scrubs a JSON tree in place and returns it (a sensitive root becomes the mask).</summary>
    public JsonNode Scrub(JsonNode? node) => Walk(node, []) ?? JsonValue.Create(ScrubRules.Mask);

    /// <summary><c>a=1&amp;token=x</c> or a URL with such a query: values of sensitive names are masked.</summary>
    public string ScrubQuery(string query)
    {
        var q = query.IndexOf('?');
        var prefix = q >= 0 ? query[..(q + 1)] : "";
        var rest = q >= 0 ? query[(q + 1)..] : query;
        var changed = false;
        var parts = rest.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            if (eq <= 0)
                continue;
            var name = Uri.UnescapeDataString(parts[i][..eq].Replace('+', ' '));
            if (rules.IsSensitiveKey(name))
            {
                parts[i] = parts[i][..(eq + 1)] + ScrubRules.Mask;
                changed = true;
            }
        }
        return changed ? prefix + string.Join('&', parts) : query;
    }

    public string ScrubHeaderValue(string name, string value) => rules.IsSensitiveKey(name) ? ScrubRules.Mask : value;

    /// <summary>The environment as a JSON object with sensitive values masked.</summary>
    public string ScrubEnvironment(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            obj[name] = rules.IsSensitiveKey(name) ? ScrubRules.Mask : ScrubText(value);
        return obj.ToJsonString(Compact);
    }

    private JsonNode? Walk(JsonNode? node, List<string> path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    path.Add(key);
                    var replaced = rules.IsSensitiveKey(key) || (rules.HasPaths && rules.IsSensitivePath(path))
                        ? JsonValue.Create(ScrubRules.Mask)
                        : Walk(child, path);
                    if (!ReferenceEquals(replaced, child))
                        obj[key] = replaced;
                    path.RemoveAt(path.Count - 1);
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var child = array[i];
                    var replaced = rules.HasPaths && rules.IsSensitivePath(path) ? JsonValue.Create(ScrubRules.Mask) : Walk(child, path);
                    if (!ReferenceEquals(replaced, child))
                        array[i] = replaced;
                    path.RemoveAt(path.Count - 1);
                }
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var scrubbed = ScrubNestedString(text);
                return ReferenceEquals(scrubbed, text) ? value : JsonValue.Create(scrubbed);
            default:
                return node;
        }
    }

    private string ScrubNestedString(string text)
    {
        if (text.Length < 2)
            return text;
        var first = text.AsSpan().TrimStart();
        if (first.Length > 0 && (first[0] == '{' || first[0] == '[') && TryParse(text, out var nested))
        {
            var before = nested!.ToJsonString(Compact);
            var after = Scrub(nested).ToJsonString(Compact);
            return before == after ? text : after;
        }
        if (LooksLikeQuery(text))
        {
            var scrubbed = ScrubQuery(text);
            return scrubbed == text ? text : scrubbed;
        }
        return text;
    }

    private static bool LooksLikeQuery(string text) =>
        text.Contains('=') && !text.AsSpan().ContainsAny(" \n\t\"{") && text.Length < 64 * 1024;

    private static bool TryParse(string text, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(text);
            return node is not null;
        }
        catch (JsonException)
        {
            node = null;
            return false;
        }
    }

    /// <summary>Bytes as UTF-8 text when they look textual, else null.</summary>
    public static string? AsText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)0) >= 0)
            return null;
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
