using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>
/// The distinct resource attributes of an invocation, stored once per set in <c>search_resource_sets</c> under an id
/// derived from the content (the first 8 bytes of a SHA-256 over the attributes in a canonical order): the same set
/// gets the same id in every process and after a restart, and a set row never changes. 0 is kept for "no set".
/// </summary>
internal sealed record SearchResourceSet(ulong Id, IReadOnlyList<SearchAttributeRow> Attributes)
{
    /// <summary>The set of the row's resource attributes, or null when it has none.</summary>
    public static SearchResourceSet? Of(SearchInvocationRow row)
    {
        var attributes = row.Attributes.Where(a => a.Scope == Query.Fields.AttributeScope.Resource).Distinct()
            .OrderBy(a => a.Key, StringComparer.Ordinal).ThenBy(Canonical, StringComparer.Ordinal).ToList();
        if (attributes.Count == 0)
            return null;
        var text = new StringBuilder();
        foreach (var attribute in attributes)
            text.Append(attribute.Key).Append('\0').Append(Canonical(attribute)).Append('\0');
        var id = BitConverter.ToUInt64(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
        return new SearchResourceSet(id == 0 ? 1 : id, attributes);
    }

    private static string Canonical(SearchAttributeRow attribute) =>
        attribute.Text is { } text ? "s" + text
        : attribute.Number is { } number ? "n" + number.ToString("R", CultureInfo.InvariantCulture)
        : attribute.Boolean == true ? "b1" : "b0";
}
