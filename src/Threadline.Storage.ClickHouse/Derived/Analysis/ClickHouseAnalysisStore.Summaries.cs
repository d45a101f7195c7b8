using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

public sealed partial class ClickHouseAnalysisStore
{
    private const string MinuteKey = "function, minute_unix_nano, has_release, release";
    private const string IssueKey = "issue_id, start_time_unix_nano, trace_hi, trace_lo, span_id";

    /// <summary>
    /// From the invocations, not the issue index: a time range over all issues is a run of the (function, start) key
    /// per function, while in the issue index it would be a run per issue.
    /// </summary>
    public async Task<IReadOnlyList<IssueGroup>> ListIssuesAsync(TimeRange range, string? function, int limit, CancellationToken cancellationToken)
    {
        var invocations = Visible(AnalysisSchema.Invocations, $"{InvocationRows.Key}, issue_id, failure, cold_start", InvocationRows.Key,
            RangeOfFunction(function, range));
        return await QueryAsync(
            "SELECT issue_id, argMin(function, start_time_unix_nano), argMin(ifNull(failure, ''), start_time_unix_nano), count(), sum(cold_start), "
            + $"min(start_time_unix_nano), max(start_time_unix_nano) AS last_start FROM {invocations} WHERE issue_id != '' "
            + $"GROUP BY issue_id ORDER BY last_start DESC, issue_id LIMIT {ClickHouseSql.Literal(Limit(limit))}",
            row => new IssueGroup(row.GetString(0), row.GetString(1), AnalysisJson.ReadFailure(row.GetString(2))!, row.GetInt64(3), row.GetInt64(4),
                row.GetInt64(5), row.GetInt64(6)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, IssueSpan>> GetIssueSpansAsync(IReadOnlyCollection<string> issueIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issueIds);
        var spans = new Dictionary<string, IssueSpan>(StringComparer.Ordinal);
        foreach (var chunk in issueIds.Distinct(StringComparer.Ordinal).Chunk(LocationsPerQuery))
        {
            var entries = Visible(AnalysisSchema.IssueIndex, $"{IssueKey}, function, cold_start, failure", IssueKey, $"issue_id IN ({LatestRows.Strings(chunk)})");
            var found = await QueryAsync(
                "SELECT issue_id, argMin(function, start_time_unix_nano), argMin(failure, start_time_unix_nano), min(start_time_unix_nano), "
                + $"max(start_time_unix_nano), count(), sum(cold_start) FROM {entries} GROUP BY issue_id",
                row => new IssueSpan(row.GetString(0), row.GetString(1), AnalysisJson.ReadFailure(row.GetString(2))!, row.GetInt64(3), row.GetInt64(4),
                    row.GetInt64(5), row.GetInt64(6)), cancellationToken).ConfigureAwait(false);
            foreach (var span in found)
                spans[span.IssueId] = span;
        }
        return spans;
    }

    public async Task<long?> GetFirstOccurrenceAfterAsync(string issueId, long afterUnixNano, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issueId);
        var entries = Visible(AnalysisSchema.IssueIndex, IssueKey, IssueKey,
            $"issue_id = {ClickHouseSql.Literal(issueId)} AND start_time_unix_nano > {ClickHouseSql.Literal(afterUnixNano)}");
        var first = await QueryAsync($"SELECT start_time_unix_nano FROM {entries} ORDER BY start_time_unix_nano LIMIT 1", row => row.GetInt64(0), cancellationToken)
            .ConfigureAwait(false);
        return first.Count == 0 ? null : first[0];
    }

    public async Task<IReadOnlyList<string>> ListFunctionsAsync(TimeRange range, CancellationToken cancellationToken)
    {
        var minutes = Visible(AnalysisSchema.FunctionMinutes, MinuteKey, MinuteKey, MinuteRange(range));
        var functions = await QueryAsync($"SELECT DISTINCT function FROM {minutes}", row => row.GetString(0), cancellationToken).ConfigureAwait(false);
        return [.. functions.Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<FunctionMinuteRow>> ListFunctionMinutesAsync(string? function, TimeRange range, CancellationToken cancellationToken)
    {
        var filter = function is null ? MinuteRange(range) : $"function = {ClickHouseSql.Literal(function)} AND {MinuteRange(range)}";
        var minutes = Visible(AnalysisSchema.FunctionMinutes,
            $"{MinuteKey}, invocations, errors, cold_starts, gb_seconds, cost_usd, first_start_unix_nano, bucket_ids, bucket_counts", MinuteKey, filter);
        var rows = await QueryAsync(
            "SELECT function, has_release, release, minute_unix_nano, invocations, errors, cold_starts, gb_seconds, toString(cost_usd), first_start_unix_nano, "
            + $"bucket_ids, bucket_counts FROM {minutes}",
            row =>
            {
                var ids = row.GetInt64Array(10);
                var counts = row.GetUInt64Array(11);
                var buckets = new Dictionary<int, long>(ids.Count);
                for (var i = 0; i < ids.Count; i++)
                    buckets[(int)ids[i]] = (long)counts[i];
                return new FunctionMinuteRow(row.GetString(0), row.GetByte(1) != 0 ? row.GetString(2) : null, row.GetInt64(3), row.GetInt64(4), row.GetInt64(5),
                    row.GetInt64(6), row.GetDouble(7), CostDecimal.Parse(row.GetString(8)), row.GetInt64(9), buckets);
            }, cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(m => m.Function, StringComparer.Ordinal).ThenBy(m => m.MinuteUnixNano).ThenBy(m => m.Release is not null)
            .ThenBy(m => m.Release, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Nearest-rank percentiles, exact: the sorted durations of each function in the range and the element at rank
    /// ceil(p/100·n) (quantileExact picks the element at floor(p·n), one past the nearest rank when p·n is whole).
    /// </summary>
    public async Task<IReadOnlyList<FunctionFigures>> GetFunctionFiguresAsync(string? function, TimeRange range, CancellationToken cancellationToken)
    {
        var invocations = Visible(AnalysisSchema.Invocations, $"{InvocationRows.Key}, failed, cold_start, cost_usd, end_time_unix_nano", InvocationRows.Key,
            RangeOfFunction(function, range));
        var figures = await QueryAsync(
            "SELECT function, n, errors, cold, toString(cost), d[toUInt64(greatest(1, ceil(50 / 100 * n)))], d[toUInt64(greatest(1, ceil(95 / 100 * n)))], "
            + "d[toUInt64(greatest(1, ceil(99 / 100 * n)))] FROM (SELECT function, count() AS n, sum(failed) AS errors, sum(cold_start) AS cold, "
            + $"sum(cost_usd) AS cost, arraySort(groupArray(end_time_unix_nano - start_time_unix_nano)) AS d FROM {invocations} GROUP BY function)",
            row => new FunctionFigures(row.GetString(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), CostDecimal.Parse(row.GetString(4)),
                Ms(row.GetInt64(5)), Ms(row.GetInt64(6)), Ms(row.GetInt64(7))), cancellationToken).ConfigureAwait(false);
        return [.. figures.OrderBy(f => f.Function, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Runs found in the server with arrays (18.16 has no window functions): each function's (start, id, release) in
    /// the range sorted, the positions where the release changes, and each run's first start and length. Only the
    /// runs travel (a handful per deployment) instead of every invocation of the range; the server holds one
    /// function's tuples of the range at a time, bounded by the range like every read here.
    /// </summary>
    public async Task<IReadOnlyList<ReleaseRun>> ListReleaseRunsAsync(string? function, TimeRange range, CancellationToken cancellationToken)
    {
        var invocations = Visible(AnalysisSchema.Invocations, $"{InvocationRows.Key}, release", InvocationRows.Key, RangeOfFunction(function, range));
        var runs = await QueryAsync(
            "SELECT function, run.1, run.2, run.3 FROM ("
            + "SELECT function, arraySort(groupArray((start_time_unix_nano, trace_hi, trace_lo, span_id, assumeNotNull(release)))) AS sorted, "
            + "arrayMap(x -> x.5, sorted) AS releases, "
            + "arrayFilter(i -> i = 1 OR releases[i] != releases[i - 1], arrayEnumerate(releases)) AS heads, "
            + "arrayMap((h, k) -> (releases[h], sorted[h].1, toUInt64((k < length(heads) ? heads[k + 1] : length(releases) + 1) - h), k), heads, arrayEnumerate(heads)) AS runs "
            + $"FROM {invocations} WHERE release IS NOT NULL GROUP BY function) ARRAY JOIN runs AS run ORDER BY function, run.4",
            row => new ReleaseRun(row.GetString(0), row.GetString(1), row.GetInt64(2), row.GetInt64(3)), cancellationToken).ConfigureAwait(false);
        return [.. runs.OrderBy(r => r.Function, StringComparer.Ordinal)]; // stable: keeps each function's runs in start order
    }

    /// <summary>From the minutes; over all functions this reads every minute row (no range to bound it), a table far smaller than the invocations.</summary>
    public async Task<IReadOnlyDictionary<string, long>> GetFunctionFirstStartsAsync(IReadOnlyCollection<string>? functions, CancellationToken cancellationToken)
    {
        if (functions is { Count: 0 })
            return new Dictionary<string, long>();
        var filter = functions is null ? "1" : $"function IN ({LatestRows.Strings(functions.Distinct(StringComparer.Ordinal))})";
        var minutes = Visible(AnalysisSchema.FunctionMinutes, $"{MinuteKey}, first_start_unix_nano", MinuteKey, filter);
        var firsts = await QueryAsync($"SELECT function, min(first_start_unix_nano) FROM {minutes} GROUP BY function",
            row => (Function: row.GetString(0), First: row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return firsts.ToDictionary(f => f.Function, f => f.First, StringComparer.Ordinal);
    }

    private static string RangeOfFunction(string? function, TimeRange range) =>
        function is null
            ? LatestRows.StartRange(range.FromUnixNano, range.ToUnixNano)
            : $"function = {ClickHouseSql.Literal(function)} AND {LatestRows.StartRange(range.FromUnixNano, range.ToUnixNano)}";

    /// <summary>Minutes that start in the range, widened to the minute holding its start (a minute is kept whole).</summary>
    private static string MinuteRange(TimeRange range) =>
        $"minute_unix_nano >= {ClickHouseSql.Literal(MinuteTime.Of(range.FromUnixNano))} AND minute_unix_nano < {ClickHouseSql.Literal(range.ToUnixNano)}";

    private static double Ms(long nanos) => Math.Round(nanos / 1e6, 3);
}
