using System.Globalization;
using System.Text;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.ClickHouse.Derived.Stitching;

/// <summary>
/// Ids written into SQL as tuple literals for <c>(columns) IN (…)</c>, which ClickHouse matches against the primary
/// key. ClickHouse parses at most <c>max_query_size</c> bytes of a query (256 KiB by default), so a long list is cut
/// into pieces of at most <see cref="ListBudgetBytes"/>: a call with more ids than fit (about 3,000 ids, fewer long
/// keys) runs one query per piece.
/// </summary>
internal static class StitchLiterals
{
    public const int ListBudgetBytes = 200_000;

    public static ulong Hi(UInt128 traceId) => (ulong)(traceId >> 64);

    public static ulong Lo(UInt128 traceId) => (ulong)traceId;

    public static UInt128 TraceId(ulong hi, ulong lo) => ((UInt128)hi << 64) | lo;

    public static string Tuple(UInt128 traceId) => $"({N(Hi(traceId))},{N(Lo(traceId))})";

    public static string Tuple(StitchId id) => $"({N(Hi(id.TraceId))},{N(Lo(id.TraceId))},{N(id.SpanId)})";

    public static string Tuple(StitchKeyRef key) => $"({N((byte)key.Kind)},{ClickHouseSql.Literal(key.Key)})";

    /// <summary>The distinct literals joined with commas, in pieces of at most <see cref="ListBudgetBytes"/>.</summary>
    public static IEnumerable<string> Lists(IEnumerable<string> literals)
    {
        var list = new StringBuilder();
        var bytes = 0;
        foreach (var literal in literals.Distinct(StringComparer.Ordinal))
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(literal) + 1;
            if (list.Length > 0 && bytes + size > ListBudgetBytes)
            {
                yield return list.ToString();
                list.Clear();
                bytes = 0;
            }
            if (list.Length > 0)
                list.Append(',');
            list.Append(literal);
            bytes += size;
        }
        if (list.Length > 0)
            yield return list.ToString();
    }

    private static string N(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
