using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>
/// Sums the touched function minutes again from the invocations, inside a write: the sums read the invocations up to
/// the write's own version (its rows are in but not yet visible to readers; a failed write's rows were removed when
/// it began, so nothing newer exists), and the minute rows that no invocation is left in (a release gone from the
/// minute) are tombstoned. The write completes after this, so readers see the new minutes with the new invocations.
/// </summary>
internal static class MinuteRollup
{
    private const string Key = "function, minute_unix_nano, has_release, release";

    private static readonly IReadOnlyList<string> InsertColumns =
    [
        "function", "minute_unix_nano", "has_release", "release", "version", "deleted", "invocations", "errors", "cold_starts",
        "gb_seconds", "cost_usd", "first_start_unix_nano", "bucket_ids", "bucket_counts",
    ];

    private sealed record Minute(string Function, long MinuteUnixNano, bool HasRelease, string Release)
    {
        public long Invocations { get; init; }
        public long Errors { get; init; }
        public long ColdStarts { get; init; }
        public double GbSeconds { get; init; }
        public Int128 ScaledCost { get; init; }
        public long FirstStartUnixNano { get; init; }
        public IReadOnlyList<long> BucketIds { get; init; } = [];
        public IReadOnlyList<ulong> BucketCounts { get; init; } = [];

        public (string, long, bool, string) Id => (Function, MinuteUnixNano, HasRelease, Release);
    }

    /// <param name="visibleBefore">The visibility filter of the completed writes (the minute rows stored so far).</param>
    public static async Task WriteAsync(ClickHouseClient client, IEnumerable<(string Function, long Minute)> touched, ulong version, string visibleBefore,
        CancellationToken cancellationToken)
    {
        var pairs = touched.Distinct().ToList();
        if (pairs.Count == 0)
            return;
        var functions = LatestRows.Strings(pairs.Select(p => p.Function).Distinct(StringComparer.Ordinal));
        var first = pairs.Min(p => p.Minute);
        var last = MinuteTime.LastOf(pairs.Max(p => p.Minute));
        var pairFilter = "(function, minute_unix_nano) IN ("
            + string.Join(", ", pairs.Select(p => $"({ClickHouseSql.Literal(p.Function)}, {ClickHouseSql.Literal(p.Minute)})")) + ")";

        // The invocations table is keyed by (function, start): the touched functions over the touched minutes' span.
        var invocations = LatestRows.Of(AnalysisSchema.Invocations,
            "function, start_time_unix_nano, trace_hi, trace_lo, span_id, minute_unix_nano, release, failed, cold_start, gb_seconds, cost_usd, duration_bucket",
            InvocationRows.Key, $"version <= {ClickHouseSql.Literal(version)}",
            $"function IN ({functions}) AND start_time_unix_nano >= {ClickHouseSql.Literal(first)} AND start_time_unix_nano <= {ClickHouseSql.Literal(last)}");
        var sums = await client.QueryAsync(
            "SELECT function, minute_unix_nano, has, release_text, n, errors, cold, gb, toString(cost), first_start, buckets.1, buckets.2 FROM ("
            + "SELECT function, minute_unix_nano, release IS NOT NULL AS has, ifNull(release, '') AS release_text, count() AS n, sum(failed) AS errors, "
            + "sum(cold_start) AS cold, sum(gb_seconds) AS gb, sum(cost_usd) AS cost, min(start_time_unix_nano) AS first_start, "
            + $"sumMap([duration_bucket], [toUInt64(1)]) AS buckets FROM {invocations} WHERE {pairFilter} "
            + "GROUP BY function, minute_unix_nano, has, release_text)",
            row => new Minute(row.GetString(0), row.GetInt64(1), row.GetByte(2) != 0, row.GetString(3))
            {
                Invocations = row.GetInt64(4),
                Errors = row.GetInt64(5),
                ColdStarts = row.GetInt64(6),
                GbSeconds = row.GetDouble(7),
                ScaledCost = CostDecimal.ParseScaled(row.GetString(8)),
                FirstStartUnixNano = row.GetInt64(9),
                BucketIds = row.GetInt64Array(10),
                BucketCounts = row.GetUInt64Array(11),
            }, cancellationToken).ConfigureAwait(false);

        var stored = await client.QueryAsync(
            $"SELECT function, minute_unix_nano, has_release, release FROM {LatestRows.Of(AnalysisSchema.FunctionMinutes, Key, Key, visibleBefore,
                $"function IN ({functions}) AND minute_unix_nano >= {ClickHouseSql.Literal(first)} AND minute_unix_nano <= {ClickHouseSql.Literal(last)}")} "
            + $"WHERE {pairFilter}",
            row => new Minute(row.GetString(0), row.GetInt64(1), row.GetByte(2) != 0, row.GetString(3)), cancellationToken).ConfigureAwait(false);

        var kept = sums.Select(m => m.Id).ToHashSet();
        await client.InsertAsync(AnalysisSchema.FunctionMinutes, InsertColumns, writer =>
        {
            foreach (var m in sums)
            {
                writer.String(m.Function).Int64(m.MinuteUnixNano).UInt8(m.HasRelease ? (byte)1 : (byte)0).String(m.Release).UInt64(version).UInt8(0)
                    .UInt64((ulong)m.Invocations).UInt64((ulong)m.Errors).UInt64((ulong)m.ColdStarts).Float64(m.GbSeconds).Decimal128(m.ScaledCost)
                    .Int64(m.FirstStartUnixNano).ArrayLength(m.BucketIds.Count);
                foreach (var bucket in m.BucketIds)
                    writer.UInt32((uint)bucket);
                writer.ArrayLength(m.BucketCounts.Count);
                foreach (var count in m.BucketCounts)
                    writer.UInt64(count);
                writer.EndRow();
            }
            foreach (var gone in stored.Where(m => !kept.Contains(m.Id)))
            {
                writer.String(gone.Function).Int64(gone.MinuteUnixNano).UInt8(gone.HasRelease ? (byte)1 : (byte)0).String(gone.Release).UInt64(version).UInt8(1)
                    .UInt64(0).UInt64(0).UInt64(0).Float64(0).Decimal128(0).Int64(0).ArrayLength(0).ArrayLength(0).EndRow();
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
