using System.Globalization;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

public sealed partial class ClickHouseSearchIndexStore
{
    public async Task<IReadOnlyList<SearchValueCount>> TopValuesAsync(QueryNode query, long fromUnixNano, long toUnixNano, QueryField field, string prefix, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var matching = Matching(query, fromUnixNano, toUnixNano);
        IEnumerable<SearchValueCount> values;
        if (field is AttributeField { Scope: AttributeScope.Resource } resource)
            values = await ResourceValuesAsync(matching, resource.Key, cancellationToken).ConfigureAwait(false);
        else if (field is AttributeField attribute)
            values = await SpanAttributeValuesAsync(matching, attribute.Key, prefix, limit, cancellationToken).ConfigureAwait(false);
        else
        {
            var definition = ((CatalogField)field).Definition;
            if (definition == FieldCatalog.Duration)
                return [];
            var (expression, kind) = definition.Name switch
            {
                "messageid" => ("arrayJoin(message_ids)", "string"),
                "status" => (SearchColumns.StatusText, "string"),
                "cold" => ("if(cold = 1, 'true', 'false')", "boolean"),
                "vip" => ("if(vip = 1, 'true', 'false')", "boolean"),
                "trace" => (SearchColumns.TraceHex, "string"),
                _ => (SearchColumns.Of(definition), "string"),
            };
            values = await CountValuesAsync(matching, expression, prefix, limit, reader => (reader.GetString(0), kind), cancellationToken).ConfigureAwait(false);
        }
        return [.. values.Where(v => v.Value.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>Each of an invocation's values counted once (the stored values of a row are distinct).</summary>
    private async Task<IReadOnlyList<SearchValueCount>> CountValuesAsync(string matching, string expression, string? prefix, int? limit,
        Func<TabSeparatedReader, (string Value, string Kind)> read, CancellationToken cancellationToken)
    {
        var sql = $"SELECT v, count() AS n FROM (SELECT {expression} AS v FROM ({matching})) WHERE isNotNull(v)"
            + (string.IsNullOrEmpty(prefix) ? "" : $" AND startsWith(v, {ClickHouseSql.Literal(prefix)})")
            + " GROUP BY v ORDER BY n DESC, v"
            + (limit is { } n ? $" LIMIT {ClickHouseSql.Literal(n)}" : "");
        return await _client.QueryAsync(sql, reader =>
        {
            var (value, kind) = read(reader);
            return new SearchValueCount(value, kind, reader.GetInt64(1));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The three types' values apart. Strings are filtered by the prefix and limited in ClickHouse; numbers are
    /// written as the query language writes them (here), so with a prefix all distinct numbers of the matches are read.
    /// </summary>
    private async Task<IEnumerable<SearchValueCount>> SpanAttributeValuesAsync(string matching, string key, string prefix, int limit, CancellationToken cancellationToken)
    {
        var k = ClickHouseSql.Literal(key);
        var strings = await CountValuesAsync(matching, $"arrayJoin(arrayFilter((v_, k_) -> k_ = {k}, attr_str_values, attr_str_keys))", prefix, limit,
            reader => (reader.GetString(0), "string"), cancellationToken).ConfigureAwait(false);
        var numbers = await CountValuesAsync(matching, $"arrayJoin(arrayFilter((v_, k_) -> k_ = {k}, attr_num_values, attr_num_keys))", null, prefix.Length == 0 ? limit : null,
            reader => (SearchAttributeArrays.ParseNumber(reader.GetString(0)).ToString("R", CultureInfo.InvariantCulture), "number"), cancellationToken).ConfigureAwait(false);
        var booleans = await CountValuesAsync(matching, $"arrayJoin(arrayFilter((v_, k_) -> k_ = {k}, attr_bool_values, attr_bool_keys))", null, null,
            reader => (reader.GetString(0) == "1" ? "true" : "false", "boolean"), cancellationToken).ConfigureAwait(false);
        return [.. strings, .. numbers, .. booleans];
    }

    /// <summary>
    /// Matches per resource set, then the sets' values of the key: a value's count is the sum over the sets holding
    /// it (a set holds each value once). Bounded by the distinct sets among the matches.
    /// </summary>
    private async Task<IEnumerable<SearchValueCount>> ResourceValuesAsync(string matching, string key, CancellationToken cancellationToken)
    {
        var perSet = await _client.QueryAsync($"SELECT resource_set, count() FROM ({matching}) WHERE resource_set != 0 GROUP BY resource_set",
            reader => (Set: reader.GetUInt64(0), Count: reader.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        var sets = await ReadResourceSetsAsync(_log.VisibleFilter, [.. perSet.Select(s => s.Set)], cancellationToken).ConfigureAwait(false);
        return perSet
            .SelectMany(s => (sets.GetValueOrDefault(s.Set) ?? []).Where(a => a.Key == key).Select(a => (Value: ValueOf(a), s.Count)))
            .GroupBy(v => v.Value)
            .Select(g => new SearchValueCount(g.Key.Text, g.Key.Kind, g.Sum(v => v.Count)));
    }

    private static (string Text, string Kind) ValueOf(SearchAttributeRow attribute) =>
        attribute.Text is { } text ? (text, "string")
        : attribute.Number is { } number ? (number.ToString("R", CultureInfo.InvariantCulture), "number")
        : (attribute.Boolean == true ? "true" : "false", "boolean");
}
