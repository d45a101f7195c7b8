using Threadline.Query.Fields;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

public sealed partial class ClickHouseSearchIndexStore
{
    /// <summary>
    /// By id: the starts of the ids from search_starts (a primary-key lookup), then only those starts of
    /// search_invocations and search_texts, then the rows' resource sets by id.
    /// </summary>
    public async Task<IReadOnlyList<SearchInvocationRow>> GetInvocationsAsync(IReadOnlyCollection<(UInt128 TraceId, ulong SpanId)> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var visible = _log.VisibleFilter;
        var found = new List<(SearchInvocationRow Row, ulong Set, List<SearchAttributeRow> Attributes, bool HasTexts)>();
        foreach (var chunk in ids.Distinct().Chunk(IdsPerQuery))
        {
            var idList = string.Join(", ", chunk.Select(IdTuple));
            var starts = await _client.QueryAsync(
                $"SELECT DISTINCT start_time FROM search_starts WHERE {visible} AND (trace_hi, trace_lo, span_id) IN ({idList})",
                row => ClickHouseSql.Literal(row.GetInt64(0)), cancellationToken).ConfigureAwait(false);
            if (starts.Count == 0)
                continue;
            var where = $"{visible} AND start_time IN ({string.Join(", ", starts)}) AND (trace_hi, trace_lo, span_id) IN ({idList})";
            var sql = $"SELECT {SearchColumns.Row}, resource_set, {SearchAttributeArrays.Select}, message_ids, has_texts"
                + $" FROM (SELECT * FROM search_invocations WHERE {where} ORDER BY version DESC LIMIT 1 BY {SearchColumns.Key}) WHERE deleted = 0";
            found.AddRange(await _client.QueryAsync(sql, reader =>
            {
                var first = SearchRowReader.FieldCount;
                var row = SearchRowReader.Read(reader) with { MessageIds = [.. reader.GetStringArray(first + 7).Select(m => m!)] };
                return (row, reader.GetUInt64(first), SearchAttributeArrays.Read(reader, first + 1, AttributeScope.Span).ToList(), reader.GetByte(first + 8) == 1);
            }, cancellationToken).ConfigureAwait(false));
        }
        if (found.Count == 0)
            return [];
        var texts = await ReadTextsAsync(visible, [.. found.Where(f => f.HasTexts).Select(f => SearchRowKey.Of(f.Row))], cancellationToken).ConfigureAwait(false);
        var sets = await ReadResourceSetsAsync(visible, [.. found.Select(f => f.Set).Where(s => s != 0).Distinct()], cancellationToken).ConfigureAwait(false);
        return [.. found
            .Select(f => f.Row with
            {
                Attributes = [.. f.Attributes, .. sets.GetValueOrDefault(f.Set) ?? []],
                Texts = texts.GetValueOrDefault(SearchRowKey.Of(f.Row)) ?? [],
            })
            .OrderByDescending(r => r.StartTimeUnixNano).ThenByDescending(r => r.TraceId).ThenByDescending(r => r.SpanId)];
    }

    private async Task<Dictionary<SearchRowKey, IReadOnlyList<SearchTextRow>>> ReadTextsAsync(string visible, IReadOnlyList<SearchRowKey> keys, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<SearchRowKey, IReadOnlyList<SearchTextRow>>();
        foreach (var chunk in keys.Chunk(IdsPerQuery))
        {
            var starts = string.Join(", ", chunk.Select(k => k.StartTime).Distinct().Select(ClickHouseSql.Literal));
            var idList = string.Join(", ", chunk.Select(k => $"({ClickHouseSql.Literal(k.TraceHi)}, {ClickHouseSql.Literal(k.TraceLo)}, {ClickHouseSql.Literal(k.SpanId)})"));
            var sql = $"SELECT {SearchColumns.Key}, sources, texts FROM (SELECT * FROM search_texts WHERE {visible} AND start_time IN ({starts})"
                + $" AND (trace_hi, trace_lo, span_id) IN ({idList}) ORDER BY version DESC LIMIT 1 BY {SearchColumns.Key}) WHERE deleted = 0";
            foreach (var (key, rows) in await _client.QueryAsync(sql, reader =>
            {
                var sources = reader.GetStringArray(4);
                var values = reader.GetStringArray(5);
                IReadOnlyList<SearchTextRow> rows = [.. sources.Select((source, i) => new SearchTextRow(source!, values[i]!))];
                return (new SearchRowKey(reader.GetInt64(0), reader.GetUInt64(1), reader.GetUInt64(2), reader.GetUInt64(3)), rows);
            }, cancellationToken).ConfigureAwait(false))
                texts[key] = rows;
        }
        return texts;
    }

    /// <summary>The resource attributes of the sets (a primary-key lookup; a set's rows are identical, one is read).</summary>
    private async Task<Dictionary<ulong, List<SearchAttributeRow>>> ReadResourceSetsAsync(string visible, IReadOnlyList<ulong> setIds, CancellationToken cancellationToken)
    {
        var sets = new Dictionary<ulong, List<SearchAttributeRow>>();
        foreach (var chunk in setIds.Chunk(IdsPerQuery))
        {
            var sql = $"SELECT set_id, {SearchAttributeArrays.Select} FROM search_resource_sets WHERE {visible}"
                + $" AND set_id IN ({string.Join(", ", chunk.Select(ClickHouseSql.Literal))}) LIMIT 1 BY set_id";
            foreach (var (id, attributes) in await _client.QueryAsync(sql,
                reader => (reader.GetUInt64(0), SearchAttributeArrays.Read(reader, 1, AttributeScope.Resource).ToList()), cancellationToken).ConfigureAwait(false))
                sets[id] = attributes;
        }
        return sets;
    }
}
