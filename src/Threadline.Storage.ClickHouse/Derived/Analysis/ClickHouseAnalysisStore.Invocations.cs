using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

public sealed partial class ClickHouseAnalysisStore
{
    private const int LocationsPerQuery = 500;
    private const string IndexKey = "start_time_unix_nano, trace_hi, trace_lo, span_id";

    /// <summary>Where an invocation is in <c>analysis_invocations</c>: its sorting key.</summary>
    private readonly record struct Location(string Function, long StartTimeUnixNano, UInt128 TraceId, ulong SpanId);

    public async Task<IReadOnlyList<AnalyzedInvocationRow>> GetInvocationsAsync(IReadOnlyCollection<InvocationKey> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var locations = new List<Location>();
        foreach (var chunk in ids.Distinct().Chunk(LocationsPerQuery))
        {
            var found = Visible(AnalysisSchema.InvocationIds, "trace_hi, trace_lo, span_id, start_time_unix_nano, function",
                "trace_hi, trace_lo, span_id, start_time_unix_nano",
                $"(trace_hi, trace_lo, span_id) IN ({string.Join(", ", chunk.Select(id => LatestRows.IdTuple(id.TraceId, id.SpanId)))})");
            locations.AddRange(await QueryAsync($"SELECT function, start_time_unix_nano, trace_hi, trace_lo, span_id FROM {found}", ReadLocation, cancellationToken)
                .ConfigureAwait(false));
        }
        return await FetchAsync(locations, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListByFunctionAsync(string function, TimeRange range, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        return ReadInvocationsAsync($"function = {ClickHouseSql.Literal(function)} AND {LatestRows.StartRange(range.FromUnixNano, range.ToUnixNano)}", "1",
            "start_time_unix_nano, trace_hi, trace_lo, span_id", limit, cancellationToken);
    }

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListLatestByFunctionAsync(string function, TimeRange range, bool failedOnly, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        return ReadInvocationsAsync($"function = {ClickHouseSql.Literal(function)} AND {LatestRows.StartRange(range.FromUnixNano, range.ToUnixNano)}",
            failedOnly ? "failed = 1" : "1", "start_time_unix_nano DESC, trace_hi DESC, trace_lo DESC, span_id DESC", limit, cancellationToken);
    }

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListByIssueAsync(string issueId, TimeRange range, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issueId);
        return ListByIndexAsync(AnalysisSchema.IssueIndex, "issue_id",
            $"issue_id = {ClickHouseSql.Literal(issueId)} AND {LatestRows.StartRange(range.FromUnixNano, range.ToUnixNano)}", limit, cancellationToken);
    }

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListByRecordKeyAsync(string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ListByIndexAsync(AnalysisSchema.RecordKeyIndex, "record_key", $"record_key = {ClickHouseSql.Literal(key)}", limit, cancellationToken);
    }

    public Task<IReadOnlyList<AnalyzedInvocationRow>> ListBySkippedShardAsync(string shard, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return ListByIndexAsync(AnalysisSchema.SkippedShardIndex, "shard", $"shard = {ClickHouseSql.Literal(shard)}", limit, cancellationToken);
    }

    /// <param name="keyFilter">On the sorting key (function and start): the primary-key range the read covers.</param>
    /// <param name="rowFilter">On the latest version of each row (any column).</param>
    private async Task<IReadOnlyList<AnalyzedInvocationRow>> ReadInvocationsAsync(string keyFilter, string rowFilter, string order, int limit,
        CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {InvocationRows.SelectColumns} FROM {Visible(AnalysisSchema.Invocations, InvocationRows.StoredColumns, InvocationRows.Key, keyFilter)} "
            + $"WHERE {rowFilter} ORDER BY {order} LIMIT {ClickHouseSql.Literal(Limit(limit))}", InvocationRows.Read, cancellationToken).ConfigureAwait(false);

    /// <summary>The first invocations (start order) of an index's run (one value, a prefix of its key), then their rows.</summary>
    private async Task<IReadOnlyList<AnalyzedInvocationRow>> ListByIndexAsync(string table, string valueColumn, string keyFilter, int limit, CancellationToken cancellationToken)
    {
        var entries = Visible(table, $"{valueColumn}, {IndexKey}, function", $"{valueColumn}, {IndexKey}", keyFilter);
        var locations = await QueryAsync($"SELECT function, start_time_unix_nano, trace_hi, trace_lo, span_id FROM {entries} "
            + $"ORDER BY {IndexKey} LIMIT {ClickHouseSql.Literal(Limit(limit))}", ReadLocation, cancellationToken).ConfigureAwait(false);
        return await FetchAsync(locations, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rows at the locations (primary-key lookups by function and start), in start order.</summary>
    private async Task<IReadOnlyList<AnalyzedInvocationRow>> FetchAsync(IReadOnlyList<Location> locations, CancellationToken cancellationToken)
    {
        var rows = new List<AnalyzedInvocationRow>();
        foreach (var chunk in locations.Distinct().Chunk(LocationsPerQuery))
        {
            var wanted = chunk.ToHashSet();
            var filter = $"function IN ({LatestRows.Strings(chunk.Select(l => l.Function).Distinct(StringComparer.Ordinal))}) "
                + $"AND start_time_unix_nano >= {ClickHouseSql.Literal(chunk.Min(l => l.StartTimeUnixNano))} "
                + $"AND start_time_unix_nano <= {ClickHouseSql.Literal(chunk.Max(l => l.StartTimeUnixNano))} "
                + $"AND start_time_unix_nano IN ({LatestRows.Numbers(chunk.Select(l => l.StartTimeUnixNano).Distinct())}) "
                + $"AND (trace_hi, trace_lo, span_id) IN ({string.Join(", ", chunk.Select(l => LatestRows.IdTuple(l.TraceId, l.SpanId)).Distinct(StringComparer.Ordinal))})";
            var found = await QueryAsync($"SELECT {InvocationRows.SelectColumns} FROM {Visible(AnalysisSchema.Invocations, InvocationRows.StoredColumns, InvocationRows.Key, filter)}",
                InvocationRows.Read, cancellationToken).ConfigureAwait(false);
            rows.AddRange(found.Where(r => wanted.Contains(new Location(r.Function, r.StartTimeUnixNano, r.TraceId, r.SpanId))));
        }
        return [.. rows.OrderBy(r => r.StartTimeUnixNano).ThenBy(r => r.TraceId).ThenBy(r => r.SpanId)];
    }

    private static Location ReadLocation(TabSeparatedReader row) =>
        new(row.GetString(0), row.GetInt64(1), TraceIds.Of(row.GetUInt64(2), row.GetUInt64(3)), row.GetUInt64(4));
}
