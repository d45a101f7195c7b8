using System.Collections;
using System.Globalization;

namespace Threadline.Telemetry;

/// <summary>Typed reads of attribute values, tolerant of the spellings OTLP decoders produce.</summary>
public static class AttributeReader
{
    public static object? Find(IReadOnlyList<KeyValue> attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
                return attribute.Value;
        }
        return null;
    }

    public static string? String(IReadOnlyList<KeyValue> attributes, string key) => Find(attributes, key) switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        IEnumerable => null,
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    public static bool? Bool(IReadOnlyList<KeyValue> attributes, string key) => Find(attributes, key) switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var b) => b,
        long l => l != 0,
        _ => null,
    };

    public static long? Long(IReadOnlyList<KeyValue> attributes, string key) => ToLong(Find(attributes, key));

    public static IReadOnlyList<string> Strings(IReadOnlyList<KeyValue> attributes, string key) => Find(attributes, key) switch
    {
        null => [],
        string s => [s],
        IEnumerable items => [.. items.Cast<object?>().Select(i => i as string ?? Convert.ToString(i, CultureInfo.InvariantCulture)).OfType<string>()],
        _ => [],
    };

    public static IReadOnlyList<long?> Longs(IReadOnlyList<KeyValue> attributes, string key) => Find(attributes, key) switch
    {
        null or string => [],
        IEnumerable items => [.. items.Cast<object?>().Select(ToLong)],
        var single => [ToLong(single)],
    };

    private static long? ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        double d when double.IsFinite(d) => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };
}
