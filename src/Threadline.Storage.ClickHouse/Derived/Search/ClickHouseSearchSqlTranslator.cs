using System.Globalization;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>
/// Translates a query of the language into a ClickHouse condition over the latest visible rows of
/// <c>search_invocations</c> (its columns by name), with the reference evaluator's semantics: every term is 0 or 1,
/// never NULL (a missing field fails <c>:</c> and passes <c>!=</c>); string comparisons are on bytes (UTF-8 keeps
/// ordinal order, prefixes and substrings), case-sensitive; attribute terms typed by the value's form; free text a
/// case-insensitive substring of any of the invocation's texts. Every string and integer is written through
/// <c>ClickHouseSql.Literal</c>; a number (a double, which Literal has no overload for) by <see cref="Number"/>.
/// </summary>
internal sealed class ClickHouseSearchSqlTranslator : SearchConditionWriter
{
    private readonly string _latestTexts;
    private readonly string _visible;

    private ClickHouseSearchSqlTranslator(string latestTexts, string visible)
    {
        _latestTexts = latestTexts;
        _visible = visible;
    }

    /// <summary>
    /// The condition. <paramref name="latestTexts"/> is a SELECT of the latest visible <c>search_texts</c> rows of the
    /// query's time range (free-text terms read only that); <paramref name="visible"/> the write log's visibility filter.
    /// </summary>
    public static string Translate(QueryNode query, string latestTexts, string visible)
    {
        ArgumentNullException.ThrowIfNull(query);
        var translator = new ClickHouseSearchSqlTranslator(latestTexts, visible);
        translator.Write(query);
        return translator.Sql.ToString();
    }

    protected override string Always => "1";

    protected override void WriteFreeText(FreeTextNode free)
    {
        Sql.Append("((start_time, trace_hi, trace_lo, span_id) IN (SELECT start_time, trace_hi, trace_lo, span_id FROM (")
            .Append(_latestTexts)
            .Append(") WHERE deleted = 0 AND arrayExists(t_ -> ").Append(CaseInsensitivePosition(free.Text)).Append("(t_, ")
            .Append(ClickHouseSql.Literal(free.Text)).Append(") > 0, texts)))");
    }

    /// <summary>
    /// .NET's OrdinalIgnoreCase maps no other character to an ASCII letter, so an ASCII term is matched exactly by the
    /// ASCII-only folding (which, unlike the UTF-8 one, does not let the Kelvin sign match "k"). Other terms fold per
    /// code point; that differs from .NET only for a few characters (final sigma, title-case digraphs, Kelvin sign).
    /// </summary>
    private static string CaseInsensitivePosition(string term) =>
        term.All(char.IsAscii) ? "positionCaseInsensitive" : "positionCaseInsensitiveUTF8";

    protected override void WriteTerm(TermNode term)
    {
        switch (term.Field)
        {
            case AttributeField attribute when attribute.Scope == AttributeScope.Resource:
                // A set's content never changes (its id is its hash): no latest version to pick. An invocation without
                // resource attributes has set 0, which no set has. Not bounded by time (sets have none): the subquery
                // reads the whole sets table, one small row per distinct set, far fewer than invocations.
                Sql.Append("(resource_set IN (SELECT set_id FROM search_resource_sets WHERE ").Append(_visible).Append(" AND (")
                    .Append(AttributeCondition(attribute.Key, term.Operator, term.Value)).Append(")))");
                break;
            case AttributeField attribute:
                Sql.Append('(').Append(AttributeCondition(attribute.Key, term.Operator, term.Value)).Append(')');
                break;
            case CatalogField { Definition: var field }:
                // ifNull: a comparison with a NULL column is NULL, and NOT NULL would drop the row instead of keeping it.
                Sql.Append("ifNull(").Append(FieldCondition(field, term.Operator, term.Value)).Append(", 0)");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(term), term.Field.GetType().Name, "unknown field");
        }
    }

    private static string FieldCondition(FieldDefinition field, ComparisonOperator op, QueryValue value)
    {
        if (field == FieldCatalog.Duration)
            return value is DurationValue duration ? $"duration {Symbol(op)} {ClickHouseSql.Literal(duration.Nanoseconds)}" : AnyOrNothing(value);
        if (field == FieldCatalog.Cold || field == FieldCatalog.Vip)
        {
            var column = field == FieldCatalog.Cold ? "cold" : "vip";
            return value is BooleanValue boolean ? $"{column} = {(boolean.Value ? 1 : 0)}" : AnyOrNothing(value);
        }
        if (field == FieldCatalog.Status)
            return StringCondition(SearchColumns.StatusText, value);
        if (field == FieldCatalog.MessageId)
            return MessageIdCondition(value);
        if (field == FieldCatalog.Trace)
            return TraceCondition(value);
        return StringCondition(SearchColumns.Of(field), value);
    }

    /// <summary>The exact trace id (as the evaluator writes it: 32 lower-case hex digits) compares the two id
    /// columns; a prefix or substring compares the hex text.</summary>
    private static string TraceCondition(QueryValue value)
    {
        if (value is TextValue { Match: TextMatch.Exact, Text.Length: 32 } exact && exact.Text.All(char.IsAsciiHexDigitLower)
            && UInt128.TryParse(exact.Text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
            return $"(trace_hi = {ClickHouseSql.Literal((ulong)(id >> 64))} AND trace_lo = {ClickHouseSql.Literal((ulong)id)})";
        return StringCondition(SearchColumns.TraceHex, value);
    }

    private static string MessageIdCondition(QueryValue value) => value switch
    {
        AnyValue => "notEmpty(message_ids)",
        TextValue { Match: TextMatch.Exact } text => $"has(message_ids, {ClickHouseSql.Literal(text.Text)})",
        TextValue text => $"arrayExists(m_ -> {StringCondition("m_", text)}, message_ids)",
        _ => "0",
    };

    private static string StringCondition(string column, QueryValue value) => value switch
    {
        AnyValue => $"isNotNull({column})",
        TextValue { Match: TextMatch.Exact } text => $"{column} = {ClickHouseSql.Literal(text.Text)}",
        TextValue { Match: TextMatch.Prefix } text => $"startsWith({column}, {ClickHouseSql.Literal(text.Text)})",
        TextValue { Match: TextMatch.Contains } text => $"position({column}, {ClickHouseSql.Literal(text.Text)}) > 0",
        // A number, boolean or duration compared with a string field: the evaluator matches nothing.
        _ => "0",
    };

    private static string AnyOrNothing(QueryValue value) => value is AnyValue ? "1" : "0";

    /// <summary>Over the typed key/value arrays of an invocation (span scope) or of a resource set.</summary>
    private static string AttributeCondition(string key, ComparisonOperator op, QueryValue value)
    {
        var k = ClickHouseSql.Literal(key);
        return value switch
        {
            AnyValue => $"has(attr_str_keys, {k}) OR has(attr_num_keys, {k}) OR has(attr_bool_keys, {k})",
            TextValue => $"arrayExists((k_, v_) -> k_ = {k} AND {StringCondition("v_", value)}, attr_str_keys, attr_str_values)",
            NumberValue number => $"arrayExists((k_, v_) -> k_ = {k} AND v_ {Symbol(op)} {Number(number.Number)}, attr_num_keys, attr_num_values)",
            BooleanValue boolean => $"arrayExists((k_, v_) -> k_ = {k} AND v_ = {(boolean.Value ? 1 : 0)}, attr_bool_keys, attr_bool_values)",
            _ => "0",
        };
    }

    /// <summary>A finite double as a Float64 literal (the query language has no NaN or infinities).</summary>
    private static string Number(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "not a finite number");
        return "toFloat64(" + value.ToString("R", CultureInfo.InvariantCulture) + ")";
    }

    private static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "!= is written as NOT"),
    };
}
