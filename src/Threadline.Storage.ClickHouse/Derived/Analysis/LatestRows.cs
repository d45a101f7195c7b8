using System.Globalization;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>
/// The one way the analysis tables are read: the latest version of each sorting key among the visible writes, then
/// tombstones dropped (FINAL is not used: it would ignore the visibility filter). The filter inside may only name
/// sorting-key columns, which every version of a key shares; a condition on another column belongs outside.
/// </summary>
internal static class LatestRows
{
    /// <summary>A subquery yielding <paramref name="columns"/> (plain column names) of the live rows.</summary>
    public static string Of(string table, string columns, string key, string visible, string keyFilter) =>
        $"(SELECT * FROM (SELECT {columns}, deleted FROM {ClickHouseSql.Identifier(table)} WHERE {visible} AND ({keyFilter}) "
        + $"ORDER BY version DESC LIMIT 1 BY {key}) WHERE deleted = 0)";

    public static string StartRange(long fromUnixNano, long toUnixNano) =>
        $"start_time_unix_nano >= {ClickHouseSql.Literal(fromUnixNano)} AND start_time_unix_nano < {ClickHouseSql.Literal(toUnixNano)}";

    public static string TraceTuple(UInt128 trace) => $"({ClickHouseSql.Literal(TraceIds.High(trace))}, {ClickHouseSql.Literal(TraceIds.Low(trace))})";

    public static string IdTuple(UInt128 trace, ulong span) =>
        $"({ClickHouseSql.Literal(TraceIds.High(trace))}, {ClickHouseSql.Literal(TraceIds.Low(trace))}, {ClickHouseSql.Literal(span)})";

    public static string Strings(IEnumerable<string> values) => string.Join(", ", values.Select(ClickHouseSql.Literal));

    public static string Numbers(IEnumerable<long> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
