using System.Globalization;
using System.Text;
using Threadline.Query.Fields;
using Threadline.Query.Parsing;
using Threadline.Query.Syntax;

namespace Threadline.Query.Printing;

/// <summary>
/// Writes a query in its canonical text: field names in lower case (attribute keys as written), operators without
/// spaces, NOT rather than '-', one space between AND-ed terms, " OR " between alternatives, parentheses only where
/// precedence needs them, values bare unless quoting is needed to read them back the same. Parsing the printed text
/// gives back the same (normalized) tree.
/// </summary>
public static class QueryPrinter
{
    public static string Print(QueryNode query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = new StringBuilder();
        Write(text, query);
        return text.ToString();
    }

    /// <summary>A value as it would follow the field's operator, e.g. <c>"POST /orders"</c> or <c>500ms</c>.</summary>
    public static string PrintValue(QueryField field, QueryValue value) => value switch
    {
        AnyValue => "*",
        BooleanValue boolean => boolean.Value ? "true" : "false",
        NumberValue number => number.Number.ToString("R", CultureInfo.InvariantCulture),
        DurationValue duration => DurationText.Format(duration.Nanoseconds),
        TextValue text => PrintText(field, text),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    private static void Write(StringBuilder text, QueryNode node)
    {
        switch (node)
        {
            case MatchAllNode:
                break;
            case TermNode term:
                text.Append(term.Field.Name).Append(term.Operator.Symbol()).Append(PrintValue(term.Field, term.Value));
                break;
            case FreeTextNode free:
                text.Append(IsBareWord(free.Text) ? free.Text : Quote(free.Text));
                break;
            case NotNode not:
                text.Append("NOT ");
                WriteOperand(text, not.Operand, parenthesize: not.Operand is AndNode or OrNode);
                break;
            case AndNode and:
                for (var i = 0; i < and.Operands.Length; i++)
                {
                    if (i > 0)
                        text.Append(' ');
                    WriteOperand(text, and.Operands[i], parenthesize: and.Operands[i] is AndNode or OrNode);
                }
                break;
            case OrNode or:
                for (var i = 0; i < or.Operands.Length; i++)
                {
                    if (i > 0)
                        text.Append(" OR ");
                    WriteOperand(text, or.Operands[i], parenthesize: or.Operands[i] is OrNode);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(node));
        }
    }

    private static void WriteOperand(StringBuilder text, QueryNode operand, bool parenthesize)
    {
        if (parenthesize)
            text.Append('(');
        Write(text, operand);
        if (parenthesize)
            text.Append(')');
    }

    private static string PrintText(QueryField field, TextValue value)
    {
        // Bare unless the text holds a character that ends a value, or (for attributes, exact values) would read as
        // a number or a boolean.
        var bare = IsBareValue(value.Text)
                   && !(field is AttributeField && value.Match == TextMatch.Exact
                        && (ValueReader.LooksLikeNumber(value.Text) || ValueReader.IsBooleanWord(value.Text)));
        var written = bare ? value.Text : Quote(value.Text);
        return value.Match switch
        {
            TextMatch.Exact => written,
            TextMatch.Prefix => written + "*",
            TextMatch.Contains => "*" + written + "*",
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
    }

    private static bool IsBareValue(string text) =>
        text.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '"' or '*');

    private static bool IsBareWord(string text) =>
        IsBareValue(text)
        && text[0] != '-'
        && !text.Any(c => c is ':' or '<' or '>' or '=')
        && !text.Contains("!=", StringComparison.Ordinal)
        && !text.Equals("AND", StringComparison.OrdinalIgnoreCase)
        && !text.Equals("OR", StringComparison.OrdinalIgnoreCase)
        && !text.Equals("NOT", StringComparison.OrdinalIgnoreCase);

    /// <summary>A double-quoted string; '\' and '"' are escaped with '\'.</summary>
    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
