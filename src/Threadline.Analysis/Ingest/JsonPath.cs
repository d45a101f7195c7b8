using System.Globalization;
using System.Text.Json;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// The subset of JSON path the user rules need: <c>$</c>, <c>.name</c>, <c>['name']</c> and <c>[index]</c>. A string
/// that holds JSON (an SQS body, an API Gateway body) is entered when the path goes on into it.
/// </summary>
public static class JsonPath
{
    public static string? Select(string json, string path) => Select(json, Steps(path));

    private static string? Select(string json, List<object> steps)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Select(document.RootElement, steps);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Select(JsonElement element, List<object> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (element.ValueKind == JsonValueKind.String && element.GetString() is { } inner && inner.TrimStart().StartsWith('{'))
                return Select(inner, steps[i..]);
            if (steps[i] is string name && element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var property))
                element = property;
            else if (steps[i] is int index && element.ValueKind == JsonValueKind.Array && index < element.GetArrayLength())
                element = element[index];
            else
                return null;
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };
    }

    /// <summary>The steps of a path: property names and array indexes.</summary>
    public static List<object> Steps(string path)
    {
        var steps = new List<object>();
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '['))
                    end++;
                steps.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                    throw new FormatException($"Unclosed '[' in JSON path '{path}'.");
                var inside = path[(i + 1)..close].Trim();
                if (inside.Length > 1 && inside[0] is '\'' or '"')
                    steps.Add(inside[1..^1]);
                else if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    steps.Add(index);
                else
                    throw new FormatException($"'[{inside}]' in JSON path '{path}' is neither a quoted name nor an index up to {int.MaxValue}.");
                i = close + 1;
            }
            else
            {
                throw new FormatException($"Unexpected '{path[i]}' at {i} in JSON path '{path}'.");
            }
        }
        return steps;
    }
}
