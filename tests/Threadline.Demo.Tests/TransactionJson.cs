using System.Text.Json;

namespace Threadline.Demo.Tests;

/// <summary>Reading the transaction API's answer.</summary>
internal static class TransactionJson
{
    public static IEnumerable<JsonElement> Items(this JsonElement element, string property) => element.GetProperty(property).EnumerateArray();

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";

    /// <summary>The transaction's invocations by id.</summary>
    public static Dictionary<string, JsonElement> InvocationsById(this JsonElement transaction) =>
        transaction.Items("invocations").ToDictionary(i => i.Str("id"));

    /// <summary>Each hop as (from function, to function, kind, service, resource, via).</summary>
    public static List<(string From, string To, string Kind, string Service, string? Resource, string Via)> HopsByFunction(this JsonElement transaction)
    {
        var invocations = transaction.InvocationsById();
        return [.. transaction.Items("hops").Select(h => (
            invocations[h.Str("from")].Str("function"),
            invocations[h.Str("to")].Str("function"),
            h.Str("kind"),
            h.Str("service"),
            h.GetProperty("resource").GetString(),
            h.Str("via")))];
    }

    /// <summary>The spans of the transaction with this name.</summary>
    public static List<JsonElement> SpansNamed(this JsonElement transaction, string name) =>
        [.. transaction.Items("spans").Where(s => s.Str("name") == name)];

    public static string[] StringArray(this JsonElement span, string attribute) =>
        [.. span.GetProperty("attributes").GetProperty(attribute).EnumerateArray().Select(v => v.GetString() ?? "")];

    public static string Attribute(this JsonElement span, string attribute) =>
        span.GetProperty("attributes").GetProperty(attribute).ToString();
}
