using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.DuckDb.Derived.Search;

/// <summary>
/// The id of a set of resource attributes: the first 8 bytes of the SHA-256 of its values in a canonical order, so the
/// same set gets the same id in every process and after a restart (no table of ids to look up at each write). At the
/// few million distinct sets a store could hold, a 64-bit collision is about one in a million million.
/// </summary>
internal static class ResourceSets
{
    public static ulong Id(IEnumerable<SearchAttributeRow> attributes)
    {
        var text = new StringBuilder();
        foreach (var attribute in attributes.OrderBy(a => a.Key, StringComparer.Ordinal).ThenBy(Canonical, StringComparer.Ordinal))
            text.Append(attribute.Key).Append('\0').Append(Canonical(attribute)).Append('\0');
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString()), hash);
        return BitConverter.ToUInt64(hash[..8]);
    }

    private static string Canonical(SearchAttributeRow attribute) =>
        attribute.Text is { } text ? "s" + text
        : attribute.Number is { } number ? "n" + number.ToString("R", CultureInfo.InvariantCulture)
        : attribute.Boolean == true ? "b1" : "b0";
}
