using System.Globalization;
using System.Text.Json.Nodes;

namespace Threadline.Sandbox.DynamoDb;

/// <summary>Operations on DynamoDB's typed attribute values (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, ...).</summary>
internal static class AttributeValues
{
    public static string TypeOf(JsonNode value) =>
        (value as JsonObject)?.FirstOrDefault().Key ?? throw new AwsException("ValidationException", "Invalid attribute value");

    /// <summary>A number in canonical form, so that <c>1</c>, <c>1.0</c> and <c>+1</c> are one key.</summary>
    public static string CanonicalNumber(string number) =>
        decimal.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture);

    public static bool AreEqual(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return TypeOf(a) == "N" && TypeOf(b) == "N"
            ? CanonicalNumber(a["N"]!.GetValue<string>()) == CanonicalNumber(b["N"]!.GetValue<string>())
            : JsonNode.DeepEquals(a, b);
    }

    public static int Compare(JsonNode a, JsonNode b)
    {
        var (ta, tb) = (TypeOf(a), TypeOf(b));
        if (ta != tb)
        {
            throw new AwsException("ValidationException", "Invalid expression: comparison of different types");
        }

        return ta == "N"
            ? decimal.Parse(a["N"]!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture)
                .CompareTo(decimal.Parse(b["N"]!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture))
            : string.CompareOrdinal(a[ta]!.ToJsonString(), b[tb]!.ToJsonString());
    }

    /// <summary><c>contains(a, b)</c>: a substring of a string, or a member of a set or list.</summary>
    public static bool Contains(JsonNode? subject, JsonNode? argument)
    {
        if (subject is null || argument is null)
        {
            return false;
        }

        if (subject["S"]?.GetValue<string>() is { } text)
        {
            return argument["S"]?.GetValue<string>() is { } part && text.Contains(part, StringComparison.Ordinal);
        }

        return subject["L"] is JsonArray list
            ? list.Any(e => AreEqual(e, argument))
            : (subject["SS"] ?? subject["NS"]) is JsonArray set && set.Any(e => JsonNode.DeepEquals(e, argument[TypeOf(argument)]));
    }

    public static JsonObject Arithmetic(JsonNode a, JsonNode b, bool add)
    {
        if (TypeOf(a) != "N" || TypeOf(b) != "N")
        {
            throw new AwsException("ValidationException", "An operand in the update expression has an incorrect data type");
        }

        var x = decimal.Parse(a["N"]!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture);
        var y = decimal.Parse(b["N"]!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return new JsonObject { ["N"] = (add ? x + y : x - y).ToString("G29", CultureInfo.InvariantCulture) };
    }

    public static JsonObject ListAppend(JsonNode a, JsonNode b)
    {
        if (a["L"] is not JsonArray first || b["L"] is not JsonArray second)
        {
            throw new AwsException("ValidationException", "An operand in the update expression has an incorrect data type");
        }

        return new JsonObject { ["L"] = new JsonArray([.. first.Select(n => n?.DeepClone()), .. second.Select(n => n?.DeepClone())]) };
    }
}
