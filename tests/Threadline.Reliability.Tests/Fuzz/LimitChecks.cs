using Threadline.Ingest.Normalize;
using Threadline.Telemetry;

namespace Threadline.Reliability.Tests.Fuzz;

/// <summary>Checks that normalized records stay within <see cref="NormalizationLimits"/>.</summary>
internal static class LimitChecks
{
    private static readonly int MaxText = NormalizationLimits.MaxValueLength + NormalizationLimits.TruncatedMarker(long.MaxValue).Length;

    public static void Span(SpanRecord span)
    {
        Text(span.Name);
        Attributes(span.Attributes, 0);
        Attributes(span.Resource.Attributes, 0);
        Attributes(span.Scope.Attributes, 0);
        foreach (var e in span.Events)
        {
            Text(e.Name);
            Attributes(e.Attributes, 0);
        }
        foreach (var link in span.Links)
            Attributes(link.Attributes, 0);
    }

    public static void Log(LogRecord log)
    {
        Value(log.Body, 0);
        Attributes(log.Attributes, 0);
    }

    public static void Attributes(IReadOnlyList<KeyValue> attributes, int depth)
    {
        Assert.True(attributes.Count <= NormalizationLimits.MaxAttributes + 1, $"{attributes.Count} attributes in one list");
        foreach (var attribute in attributes)
        {
            Text(attribute.Key);
            Value(attribute.Value, depth);
        }
    }

    private static void Value(object? value, int depth)
    {
        Assert.True(depth <= NormalizationLimits.MaxDepth, $"nested {depth} deep");
        switch (value)
        {
            case string text:
                Text(text);
                break;
            case byte[] bytes:
                Assert.True(bytes.Length <= NormalizationLimits.MaxValueLength, $"a bytes value of {bytes.Length}");
                break;
            case IReadOnlyList<KeyValue> list:
                Attributes(list, depth + 1);
                break;
            case IReadOnlyList<object?> array:
                Assert.True(array.Count <= NormalizationLimits.MaxArrayItems + 1, $"an array of {array.Count}");
                foreach (var item in array)
                    Value(item, depth + 1);
                break;
        }
    }

    private static void Text(string? text) => Assert.True(text is null || text.Length <= MaxText, $"a string of {text?.Length} characters");
}
