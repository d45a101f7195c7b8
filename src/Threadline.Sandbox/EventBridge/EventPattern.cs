using System.Globalization;
using System.Text.Json.Nodes;

namespace Threadline.Sandbox.EventBridge;

/// <summary>
/// The emulated subset of EventBridge event patterns: nested fields, arrays of alternatives, exact values,
/// and the <c>prefix</c>, <c>suffix</c>, <c>anything-but</c>, <c>exists</c> and <c>numeric</c> matchers.
/// </summary>
internal static class EventPattern
{
    public static bool Matches(JsonObject pattern, JsonNode? @event)
    {
        foreach (var (field, expected) in pattern)
        {
            var actual = @event is JsonObject obj ? obj[field] : null;
            var ok = expected switch
            {
                JsonObject nested => actual is JsonObject && Matches(nested, actual),
                JsonArray alternatives => alternatives.Any(a => MatchesValue(a, actual)),
                _ => throw new AwsException("InvalidEventPatternException", $"Event pattern is not valid: the value of \"{field}\" must be an object or an array"),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchesValue(JsonNode? expected, JsonNode? actual)
    {
        if (actual is JsonArray values)
        {
            return values.Any(v => MatchesValue(expected, v));
        }

        if (expected is not JsonObject matcher)
        {
            return JsonNode.DeepEquals(expected, actual);
        }

        var (kind, argument) = matcher.Single();
        var text = actual is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return kind switch
        {
            "exists" => (argument?.GetValue<bool>() ?? false) == (actual is not null),
            "prefix" => text is not null && text.StartsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
            "suffix" => text is not null && text.EndsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
            "anything-but" => actual is not null && !(argument is JsonArray list ? list.Any(a => MatchesValue(a, actual)) : MatchesValue(argument, actual)),
            "numeric" => actual is JsonValue n && n.TryGetValue<double>(out var number) && Numeric(argument as JsonArray ?? [], number),
            _ => throw new AwsException("InvalidEventPatternException", $"Event pattern is not valid: the matcher \"{kind}\" is not emulated"),
        };
    }

    private static bool Numeric(JsonArray conditions, double value)
    {
        for (var i = 0; i + 1 < conditions.Count; i += 2)
        {
            var bound = conditions[i + 1]!.GetValue<double>();
            var ok = conditions[i]!.GetValue<string>() switch
            {
                "=" => value.Equals(bound),
                "<" => value < bound,
                "<=" => value <= bound,
                ">" => value > bound,
                ">=" => value >= bound,
                var op => throw new AwsException("InvalidEventPatternException", string.Create(CultureInfo.InvariantCulture, $"Unknown numeric operator {op}")),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
