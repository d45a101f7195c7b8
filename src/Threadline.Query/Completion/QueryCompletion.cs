using Threadline.Query.Fields;
using Threadline.Query.Printing;
using Threadline.Query.Syntax;

namespace Threadline.Query.Completion;

/// <summary>
/// Autocomplete logic for the query box, pure so the API and tests share it: what is being typed at a caret, which
/// fields fit a prefix, and the query text after a suggestion is picked. It reads the text leniently (unterminated
/// quotes, unknown fields and half-typed operators are normal while typing) and never throws for any text.
/// </summary>
public static class QueryCompletion
{
    private static readonly FieldSuggestion[] Namespaces =
    [
        new("attr.", "Any span attribute by key (attr.http.response.status_code>=400)", FieldType.Attribute, "attr.http.response.status_code>=400"),
        new("resource.", "Any resource attribute by key (resource.service.version:2)", FieldType.Attribute, "resource.service.version:2"),
    ];

    /// <summary>What is being typed at <paramref name="caret"/> (0 ≤ caret ≤ text length).</summary>
    public static CompletionContext ContextAt(string text, int caret)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(caret);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(caret, text.Length);

        int termStart = 0, operatorStart = -1, operatorEnd = -1;
        var inQuote = false;
        for (var i = 0; i < caret; i++)
        {
            var c = text[i];
            if (inQuote)
            {
                if (c == '\\' && i + 1 < caret)
                    i++;
                else if (c == '"')
                    inQuote = false;
                continue;
            }
            if (c == '"')
            {
                inQuote = true;
            }
            else if (char.IsWhiteSpace(c) || c is '(' or ')')
            {
                termStart = i + 1;
                operatorStart = -1;
            }
            else if (operatorStart < 0 && OperatorLength(text, i) is var length and > 0)
            {
                operatorStart = i;
                operatorEnd = i + length;
                i = operatorEnd - 1;
            }
        }
        while (termStart < caret && text[termStart] == '-' && (operatorStart < 0 || termStart < operatorStart))
            termStart++;

        if (operatorStart >= 0)
            return ValueContext(text, caret, termStart, operatorStart, Math.Min(operatorEnd, caret));
        if (termStart < text.Length && text[termStart] == '"')
            return new CompletionContext(CompletionKind.Phrase, Unquote(text[termStart..caret]), termStart, Math.Max(caret, QuotedEnd(text, termStart)) - termStart);

        var wordEnd = caret;
        while (wordEnd < text.Length && !char.IsWhiteSpace(text[wordEnd]) && text[wordEnd] is not ('(' or ')' or '"') && OperatorLength(text, wordEnd) == 0)
            wordEnd++;
        var word = text[termStart..caret];
        foreach (var scope in Enum.GetValues<AttributeScope>())
        {
            var prefix = scope.Prefix();
            if (word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var keyStart = termStart + prefix.Length;
                return new CompletionContext(CompletionKind.AttributeKey, word[prefix.Length..], keyStart, wordEnd - keyStart, Scope: scope);
            }
        }
        return new CompletionContext(CompletionKind.Field, word, termStart, wordEnd - termStart);
    }

    /// <summary>The catalogue fields and the attribute namespaces whose name starts with the prefix (any case), in
    /// catalogue order.</summary>
    public static IReadOnlyList<FieldSuggestion> Fields(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return
        [
            .. FieldCatalog.All
                .Select(field => new FieldSuggestion(field.Name, field.Description, field.Type, field.Example))
                .Concat(Namespaces)
                .Where(field => field.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)),
        ];
    }

    /// <summary>The values a field can only take (status, booleans) that start with the prefix (any case); empty for
    /// fields whose values come from the stored data.</summary>
    public static IReadOnlyList<string> KnownValues(QueryField? field, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return field is CatalogField catalog
            ? [.. catalog.Definition.KnownValues.Where(value => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))]
            : [];
    }

    /// <summary>The query after picking a field (or attribute key): the name replaces the word at the caret and is
    /// followed by ':' (unless it is a namespace such as <c>attr.</c>, or an operator already follows). The caret goes
    /// after the insertion.</summary>
    public static (string Text, int Caret) ApplyField(string text, CompletionContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(name);
        var end = context.ReplaceStart + context.ReplaceLength;
        var insert = name.EndsWith('.') || OperatorLength(text, end) > 0 ? name : name + ":";
        return (text[..context.ReplaceStart] + insert + text[end..], context.ReplaceStart + insert.Length);
    }

    /// <summary>The query after picking a value: written as the canonical text writes it for the field (quoted when
    /// needed), replacing the value at the caret; the caret goes after it.</summary>
    public static (string Text, int Caret) ApplyValue(string text, CompletionContext context, QueryValue value)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(value);
        if (context is not { Kind: CompletionKind.Value, Field: { } field })
            throw new ArgumentException("a value goes after a known field", nameof(context));
        var insert = QueryPrinter.PrintValue(field, value);
        var end = context.ReplaceStart + context.ReplaceLength;
        return (text[..context.ReplaceStart] + insert + text[end..], context.ReplaceStart + insert.Length);
    }

    private static CompletionContext ValueContext(string text, int caret, int termStart, int operatorStart, int valueStart)
    {
        var fieldName = text[termStart..operatorStart];
        var op = text[operatorStart..valueStart] switch
        {
            ":" => ComparisonOperator.Equal,
            "!=" => ComparisonOperator.NotEqual,
            ">" => ComparisonOperator.Greater,
            ">=" => ComparisonOperator.GreaterOrEqual,
            "<" => ComparisonOperator.Less,
            "<=" => ComparisonOperator.LessOrEqual,
            _ => (ComparisonOperator?)null,
        };
        var typed = text[valueStart..Math.Max(valueStart, caret)].TrimStart('*');
        var valueEnd = valueStart;
        if (valueEnd < text.Length && text[valueEnd] == '*')
            valueEnd++;
        valueEnd = valueEnd < text.Length && text[valueEnd] == '"' ? QuotedEnd(text, valueEnd) : valueEnd;
        while (valueEnd < text.Length && !char.IsWhiteSpace(text[valueEnd]) && text[valueEnd] is not (')' or '('))
            valueEnd++;
        // Odd text (a quote closed and reopened inside the value) can end the scan early: never replace less than
        // what was typed.
        valueEnd = Math.Max(valueEnd, caret);
        return new CompletionContext(
            CompletionKind.Value,
            typed.StartsWith('"') ? Unquote(typed) : typed.TrimEnd('*'),
            valueStart,
            valueEnd - valueStart,
            fieldName,
            FieldCatalog.Resolve(fieldName),
            op);
    }

    /// <summary>The text of a quote, opened at the start, up to its closing quote or the end (escapes undone).</summary>
    private static string Unquote(string quoted)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 1; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length && quoted[i + 1] is '"' or '\\')
                text.Append(quoted[++i]);
            else if (quoted[i] == '"')
                break;
            else
                text.Append(quoted[i]);
        }
        return text.ToString();
    }

    /// <summary>Just past the closing quote of the quote opened at <paramref name="open"/>, or the end of the text.</summary>
    private static int QuotedEnd(string text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
                i++;
            else if (text[i] == '"')
                return i + 1;
        }
        return text.Length;
    }

    private static int OperatorLength(string text, int at)
    {
        if (at >= text.Length)
            return 0;
        var next = at + 1 < text.Length ? text[at + 1] : '\0';
        return (text[at], next) switch
        {
            (':', _) => 1,
            ('!', '=') or ('>', '=') or ('<', '=') => 2,
            ('>', _) or ('<', _) => 1,
            _ => 0,
        };
    }
}
