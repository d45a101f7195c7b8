using System.Text.Json;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;
using Threadline.Telemetry;

namespace Threadline.Analysis.Impact;

/// <summary>Applies a <see cref="ValueRule"/> to one span: an attribute, a header of its event, or a path into its event.</summary>
public static class ValueRuleReader
{
    private const string EventAttribute = "threadline.event";

    public static string? Read(ValueRule rule, SpanRecord span)
    {
        switch (rule.Source)
        {
            case ValueSource.Attribute:
                return AttributeReader.String(span.Attributes, rule.Name);
            case ValueSource.Header:
                return AttributeReader.String(span.Attributes, EventAttribute) is { } headerEvent ? Header(headerEvent, rule.Name) : null;
            case ValueSource.JsonPath:
                return AttributeReader.String(span.Attributes, EventAttribute) is { } pathEvent ? JsonPath.Select(pathEvent, rule.Name) : null;
            default:
                return null;
        }
    }

    private static string? Header(string eventJson, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(eventJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("headers", out var headers)
                || headers.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var header in headers.EnumerateObject())
            {
                if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase) && header.Value.ValueKind == JsonValueKind.String)
                    return header.Value.GetString();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
