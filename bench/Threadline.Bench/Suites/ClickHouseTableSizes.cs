using System.Globalization;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Bench.Suites;

/// <summary>The size on disk of one table's active parts (system.parts), and which kind of table it is.</summary>
internal sealed record ClickHouseTableSize(string Table, long OnDisk, long Compressed, long Uncompressed)
{
    /// <summary>span (spans, trace_index), logs, stitch, analysis, search (the derived parts), or other (bookkeeping).</summary>
    public string Group => Table switch
    {
        "spans" or "trace_index" => "span",
        "logs" => "logs",
        _ when Table.StartsWith("stitch_", StringComparison.Ordinal) => "stitch",
        _ when Table.StartsWith("analysis_", StringComparison.Ordinal) => "analysis",
        _ when Table.StartsWith("search_", StringComparison.Ordinal) => "search",
        _ => "other",
    };
}

/// <summary>Bytes on disk of a Threadline database: merged as background merges would in time, then read from system.parts.</summary>
internal static class ClickHouseTableSizes
{
    public static readonly string[] Groups = ["span", "logs", "stitch", "analysis", "search", "other"];

    /// <summary><c>OPTIMIZE … FINAL</c> of every MergeTree table of <paramref name="database"/>: one part per partition, replaced versions folded.</summary>
    public static async Task MergeAsync(ClickHouseClient client, string database)
    {
        var tables = await client.QueryAsync(
            $"SELECT name FROM system.tables WHERE database = {ClickHouseSql.Literal(database)} AND engine LIKE '%MergeTree' ORDER BY name",
            row => row.GetString(0), CancellationToken.None, database: "default");
        foreach (var table in tables)
            await client.ExecuteAsync($"OPTIMIZE TABLE {ClickHouseSql.Identifier(database)}.{ClickHouseSql.Identifier(table)} FINAL", CancellationToken.None, database: "default");
    }

    public static async Task<IReadOnlyList<ClickHouseTableSize>> ReadAsync(ClickHouseClient client, string database) =>
        await client.QueryAsync(
            $"SELECT table, sum(bytes_on_disk), sum(data_compressed_bytes), sum(data_uncompressed_bytes) FROM system.parts WHERE database = {ClickHouseSql.Literal(database)} AND active GROUP BY table ORDER BY table",
            row => new ClickHouseTableSize(row.GetString(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3)), CancellationToken.None, database: "default");

    public static async Task<long> StoredSpansAsync(ClickHouseClient client, string database) =>
        long.Parse((await client.ScalarAsync($"SELECT count() FROM {ClickHouseSql.Identifier(database)}.spans", CancellationToken.None, database: "default"))!,
            CultureInfo.InvariantCulture);

    public static void Print(IEnumerable<ClickHouseTableSize> sizes, long spans)
    {
        foreach (var size in sizes)
            Console.WriteLine($"  {size.Table,-32} {size.OnDisk,14:N0} B on disk  {(double)size.OnDisk / spans,8:F1} B/span  (compressed {size.Compressed:N0} of {size.Uncompressed:N0})");
    }
}
