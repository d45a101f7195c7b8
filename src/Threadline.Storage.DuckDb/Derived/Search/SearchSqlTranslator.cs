using Threadline.Query.Fields;
using Threadline.Query.Syntax;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.DuckDb.Derived.Search;

/// <summary>
/// Translates a query of the language into a parameterized SQL condition over <c>search_invocations i</c> and its
/// side tables, with the reference evaluator's semantics: every term is true or false, never NULL (a missing field
/// fails <c>:</c> and passes <c>!=</c>), string comparisons are binary (ordinal) and case-sensitive, attribute terms
/// typed by the value's form, free text a case-insensitive substring of any of the invocation's texts.
/// </summary>
internal sealed class SearchSqlTranslator : SearchConditionWriter
{
    private readonly Func<AttributeScope, string, int?> _keyId;
    private readonly InvRange? _invocations;

    private SearchSqlTranslator(Func<AttributeScope, string, int?> keyId, InvRange? invocations)
    {
        _keyId = keyId;
        _invocations = invocations;
    }

    public List<object?> Parameters { get; } = [];

    /// <summary>The condition and its parameters (positional, in order); <paramref name="keyId"/> resolves attribute keys
    /// (null when the key was never stored, so the term matches nothing). With <paramref name="invocations"/> (the row
    /// numbers of every invocation the condition will be tested on), the side tables are read only in that range.</summary>
    public static (string Condition, List<object?> Parameters) Translate(QueryNode query, Func<AttributeScope, string, int?> keyId,
        InvRange? invocations = null)
    {
        var translator = new SearchSqlTranslator(keyId, invocations);
        translator.Write(query);
        return (translator.Sql.ToString(), translator.Parameters);
    }

    protected override string Always => "TRUE";

    /// <summary>Whether the query reads a side table keyed by <c>inv</c> (free text, a span attribute, a message id).</summary>
    public static bool ReadsSideTables(QueryNode query) => query switch
    {
        FreeTextNode => true,
        TermNode { Field: AttributeField { Scope: not AttributeScope.Resource } } => true,
        TermNode { Field: CatalogField { Definition: var field } } => field == FieldCatalog.MessageId,
        NotNode not => ReadsSideTables(not.Operand),
        AndNode and => and.Operands.Any(ReadsSideTables),
        OrNode or => or.Operands.Any(ReadsSideTables),
        _ => false,
    };

    protected override void WriteFreeText(FreeTextNode free) =>
        Sql.Append("i.inv IN (SELECT inv FROM search_texts WHERE ").Append(InRange())
            .Append("contains(lower(text), lower(").Append(Parameter(free.Text)).Append(")))");

    /// <summary>
    /// The side tables are appended in <c>inv</c> order, so a range of row numbers skips every row group outside it
    /// (DuckDB's zone maps): a search over an hour reads that hour's texts, not the whole table's.
    /// </summary>
    private string InRange() => _invocations is { } range
        ? $"inv BETWEEN {range.First.ToString(System.Globalization.CultureInfo.InvariantCulture)} AND {range.Last.ToString(System.Globalization.CultureInfo.InvariantCulture)} AND "
        : "";

    protected override void WriteTerm(TermNode term)
    {
        switch (term.Field)
        {
            case AttributeField attribute:
                WriteAttribute(attribute, term.Operator, term.Value);
                break;
            case CatalogField { Definition: var field } when field == FieldCatalog.MessageId:
                Sql.Append("i.inv IN (SELECT inv FROM search_message_ids WHERE ").Append(InRange())
                    .Append(StringCondition("message_id", term.Value)).Append(')');
                break;
            case CatalogField { Definition: var field }:
                Sql.Append("COALESCE(").Append(FieldCondition(field, term.Operator, term.Value)).Append(", FALSE)");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(term), term.Field.GetType().Name, "unknown field");
        }
    }

    private string FieldCondition(FieldDefinition field, ComparisonOperator op, QueryValue value)
    {
        if (field == FieldCatalog.Duration)
            return value is DurationValue duration ? $"i.duration_ns {Symbol(op)} {Parameter(duration.Nanoseconds)}" : AnyOrNothing(value, "i.duration_ns");
        if (field == FieldCatalog.Cold || field == FieldCatalog.Vip)
        {
            var column = field == FieldCatalog.Cold ? "i.cold" : "i.vip";
            return value is BooleanValue boolean ? $"{column} = {Parameter(boolean.Value)}" : AnyOrNothing(value, column);
        }
        if (field == FieldCatalog.Status)
            return value is TextValue { Match: TextMatch.Exact } status ? $"i.failed = {Parameter(status.Text == "error")}" : AnyOrNothing(value, "i.failed");
        if (field == FieldCatalog.Trace)
            return TraceCondition(value);
        var column2 = field.Name switch
        {
            "function" => "i.function",
            "entry" => "i.entry",
            "trigger" => "i.trigger_kind",
            "error" => "i.error_type",
            "message" => "i.error_message",
            "version" => "i.version",
            "user" => "i.user_name",
            "request" => "i.request_id",
            _ => throw new ArgumentOutOfRangeException(nameof(field), field.Name, "no column for the field"),
        };
        return StringCondition(column2, value);
    }

    /// <summary>The exact trace id compares the two id columns; a prefix or substring compares the hex text.</summary>
    private string TraceCondition(QueryValue value)
    {
        if (value is TextValue { Match: TextMatch.Exact, Text.Length: 32 } exact && UInt128.TryParse(exact.Text, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var id))
            return $"(i.trace_id_hi = {Parameter((ulong)(id >> 64))} AND i.trace_id_lo = {Parameter((ulong)id)})";
        return StringCondition("(lpad(lower(hex(i.trace_id_hi)), 16, '0') || lpad(lower(hex(i.trace_id_lo)), 16, '0'))", value);
    }

    private string StringCondition(string column, QueryValue value) => value switch
    {
        AnyValue => $"{column} IS NOT NULL",
        TextValue { Match: TextMatch.Exact } text => $"{column} = {Parameter(text.Text)}",
        TextValue { Match: TextMatch.Prefix } text => $"starts_with({column}, {Parameter(text.Text)})",
        TextValue { Match: TextMatch.Contains } text => $"contains({column}, {Parameter(text.Text)})",
        // A number or boolean compared with a string field: the evaluator matches nothing.
        _ => "FALSE",
    };

    private static string AnyOrNothing(QueryValue value, string column) => value is AnyValue ? $"{column} IS NOT NULL" : "FALSE";

    private void WriteAttribute(AttributeField attribute, ComparisonOperator op, QueryValue value)
    {
        if (_keyId(attribute.Scope, attribute.Key) is not { } keyId)
        {
            Sql.Append("FALSE");
            return;
        }
        var condition = value switch
        {
            AnyValue => "TRUE",
            TextValue => StringCondition("str", value),
            NumberValue number => $"num {Symbol(op)} {Parameter(number.Number)}",
            BooleanValue boolean => $"flag = {Parameter(boolean.Value)}",
            _ => "FALSE",
        };
        if (attribute.Scope == AttributeScope.Resource)
        {
            // An invocation without resource attributes has no set (NULL): FALSE AND … keeps the term true or false.
            Sql.Append("(i.resource_set IS NOT NULL AND i.resource_set IN (SELECT set_id FROM search_resource_sets WHERE key_id = ")
                .Append(Parameter(keyId)).Append(" AND ").Append(condition).Append("))");
            return;
        }
        Sql.Append("i.inv IN (SELECT inv FROM search_attributes WHERE ").Append(InRange()).Append("key_id = ").Append(Parameter(keyId))
            .Append(" AND ").Append(condition).Append(')');
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

    private string Parameter(object? value)
    {
        Parameters.Add(value);
        return "$" + Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Row numbers <c>inv</c> from <see cref="First"/> to <see cref="Last"/>, both included (empty when First &gt; Last).</summary>
internal readonly record struct InvRange(long First, long Last);
