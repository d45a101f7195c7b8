using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Threadline.Tracer.Correlation;

/// <summary>
/// Hashed key pairs of a DynamoDB item: <c>name=&lt;first 16 hex of SHA-256("type:value")&gt;</c> for each top-level
/// scalar (S, N, B) attribute, at most 32, sorted by name and joined by '&amp;'. Works on the DynamoDB JSON shape
/// (<c>{"id":{"S":"a"}}</c>), which is both the wire format of a write and the stream record's <c>Keys</c>.
/// </summary>
internal static class DynamoDbItemHash
{
    public const int MaxPairs = 32;

    public static string? Pairs(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
            return null;
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in item.EnumerateObject())
        {
            if (attribute.Value.ValueKind != JsonValueKind.Object)
                continue;
            foreach (var typed in attribute.Value.EnumerateObject())
            {
                if (typed.Name is "S" or "N" or "B" && typed.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    pairs[attribute.Name] = Hash(typed.Name, typed.Value.ValueKind == JsonValueKind.String ? typed.Value.GetString()! : typed.Value.GetRawText());
            }
        }
        return pairs.Count == 0 ? null : string.Join('&', pairs.Take(MaxPairs).Select(p => $"{p.Key}={p.Value}"));
    }

    public static string Hash(string type, string value)
    {
        var canonical = type == "N" ? CanonicalNumber(value) : value;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}:{canonical}"));
        return Convert.ToHexStringLower(digest, 0, 8);
    }

    /// <summary>No leading '+', no trailing zeros after a decimal point (and no bare trailing point).</summary>
    public static string CanonicalNumber(string value)
    {
        var n = value.Trim();
        if (n.StartsWith('+'))
            n = n[1..];
        if (n.Contains('.') && !n.Contains('e', StringComparison.OrdinalIgnoreCase))
            n = n.TrimEnd('0').TrimEnd('.');
        return n;
    }
}
