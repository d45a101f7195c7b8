using System.Globalization;
using System.Text.RegularExpressions;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;

namespace Threadline.Query.Parsing;

/// <summary>Reads a written value as the type of its field wants it, or explains what the field takes.</summary>
internal static partial class ValueReader
{
    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex("^[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HexPattern();

    /// <summary>Bare text an attribute value reads as a number rather than a string.</summary>
    public static bool LooksLikeNumber(string text) => NumberPattern().IsMatch(text);

    /// <summary>Bare text an attribute value reads as a boolean rather than a string.</summary>
    public static bool IsBooleanWord(string text) =>
        text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static QueryValue Read(QueryField field, ComparisonOperator op, RawValue raw)
    {
        var type = FieldCatalog.TypeOf(field);
        if (raw.IsLoneStar)
        {
            if (type is FieldType.Keyword or FieldType.Id or FieldType.TraceId || (type == FieldType.Attribute && !op.IsRange()))
                return new AnyValue();
            throw Expected(field, op, raw);
        }
        if (raw.LeadingStar && !raw.TrailingStar)
            throw new QueryParseException(raw.Offset, "expected '*' at both ends for a substring (*text*); suffixes are not searchable", raw.Written);
        if ((raw.LeadingStar || raw.TrailingStar || raw.Quoted) && raw.Text.Length == 0)
            throw new QueryParseException(raw.Offset, $"expected a non-empty value for {field.Name}", raw.Written);
        var match = raw.LeadingStar ? TextMatch.Contains : raw.TrailingStar ? TextMatch.Prefix : TextMatch.Exact;

        switch (type)
        {
            case FieldType.Keyword:
                return new TextValue(raw.Text, match);
            case FieldType.Id when match != TextMatch.Contains:
                return new TextValue(raw.Text, match);
            case FieldType.TraceId when match != TextMatch.Contains && HexPattern().IsMatch(raw.Text)
                                        && (raw.Text.Length == 32 || (match == TextMatch.Prefix && raw.Text.Length < 32)):
                return new TextValue(raw.Text.ToLowerInvariant(), match);
            case FieldType.Status when match == TextMatch.Exact && raw.Text.ToLowerInvariant() is "ok" or "error":
                return new TextValue(raw.Text.ToLowerInvariant());
            case FieldType.Boolean when match == TextMatch.Exact && IsBooleanWord(raw.Text):
                return new BooleanValue(raw.Text.Equals("true", StringComparison.OrdinalIgnoreCase));
            case FieldType.Duration when match == TextMatch.Exact && !raw.Quoted && DurationText.TryParse(raw.Text) is { } nanoseconds:
                return new DurationValue(nanoseconds);
            case FieldType.Attribute:
                return ReadAttributeValue(field, op, raw, match);
            default:
                throw Expected(field, op, raw);
        }
    }

    private static QueryValue ReadAttributeValue(QueryField field, ComparisonOperator op, RawValue raw, TextMatch match)
    {
        var bare = !raw.Quoted && match == TextMatch.Exact;
        if (bare && LooksLikeNumber(raw.Text))
        {
            var number = double.Parse(raw.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(number))
                throw new QueryParseException(raw.Offset, $"expected a number within ±{double.MaxValue.ToString(CultureInfo.InvariantCulture)}", raw.Written);
            return new NumberValue(number);
        }
        if (op.IsRange())
            throw Expected(field, op, raw);
        if (bare && IsBooleanWord(raw.Text))
            return new BooleanValue(raw.Text.Equals("true", StringComparison.OrdinalIgnoreCase));
        return new TextValue(raw.Text, match);
    }

    private static QueryParseException Expected(QueryField field, ComparisonOperator op, RawValue raw)
    {
        var type = FieldCatalog.TypeOf(field);
        var expected = type == FieldType.Attribute && op.IsRange()
            ? $"{field.Name}{op.Symbol()} takes a number such as 400"
            : $"{field.Name} takes {FieldTypes.Expectation(type)}";
        return new QueryParseException(raw.Offset, expected, raw.Written);
    }
}
