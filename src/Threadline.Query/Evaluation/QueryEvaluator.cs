using System.Collections.Immutable;
using Threadline.Query.Fields;
using Threadline.Query.Syntax;

namespace Threadline.Query.Evaluation;

/// <summary>Whether a document matches, and where free text matched (for display under the result).</summary>
public sealed record QueryMatch(bool IsMatch, ImmutableArray<MatchedText> MatchedTexts);

/// <summary>Where a free-text term matched: the source text, the match's place in it, and a short snippet around
/// it (at most <see cref="QueryEvaluator.SnippetContext"/> characters either side, "…" where cut, line breaks and
/// tabs as spaces) with the match's place in the snippet.</summary>
public sealed record MatchedText(string Term, string Source, int Offset, int Length, string Snippet, int SnippetOffset);

/// <summary>
/// The reference semantics of the query language, by brute force over one document; the storage backends' SQL
/// translations are tested against it.
/// </summary>
/// <remarks>
/// A term matches when any of the field's values satisfies it. <c>field!=v</c> is exactly <c>NOT field:v</c>, so it
/// also matches documents without the field. String comparisons (exact, prefix, substring) are ordinal and
/// case-sensitive. Attribute terms are typed: a number matches numeric attributes by value, true/false boolean
/// ones, a string string ones; <c>attr.k:200</c> does not match the string "200" (write <c>attr.k:"200"</c>).
/// Free text (bare words and phrases) matches a case-insensitive substring of any payload or log line. Matches
/// under NOT are not reported; under OR, those of every branch that matched are.
/// </remarks>
public static class QueryEvaluator
{
    public const int SnippetContext = 40;

    public static QueryMatch Evaluate(QueryNode query, ISearchDocument document)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(document);
        var matches = new List<MatchedText>();
        var isMatch = Evaluate(query, document, matches);
        return new QueryMatch(isMatch, isMatch ? [.. matches] : []);
    }

    public static bool Matches(QueryNode query, ISearchDocument document) => Evaluate(query, document).IsMatch;

    private static bool Evaluate(QueryNode node, ISearchDocument document, List<MatchedText> matches)
    {
        switch (node)
        {
            case MatchAllNode:
                return true;
            case TermNode term:
                return Matches(term, document);
            case FreeTextNode free:
                return FindText(free.Text, document, matches);
            case NotNode not:
                return !Evaluate(not.Operand, document, []);
            case AndNode and:
            {
                var found = new List<MatchedText>();
                foreach (var operand in and.Operands)
                {
                    if (!Evaluate(operand, document, found))
                        return false;
                }
                matches.AddRange(found);
                return true;
            }
            case OrNode or:
            {
                var any = false;
                foreach (var operand in or.Operands)
                {
                    var found = new List<MatchedText>();
                    if (Evaluate(operand, document, found))
                    {
                        any = true;
                        matches.AddRange(found);
                    }
                }
                return any;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(node));
        }
    }

    private static bool Matches(TermNode term, ISearchDocument document)
    {
        var values = term.Field switch
        {
            CatalogField catalog => document.GetValues(catalog.Definition),
            AttributeField attribute => document.GetAttribute(attribute.Scope, attribute.Key),
            _ => throw new ArgumentOutOfRangeException(nameof(term)),
        };
        if (term.Operator == ComparisonOperator.NotEqual)
            return !values.Any(value => Satisfies(value, ComparisonOperator.Equal, term.Value));
        return values.Any(value => Satisfies(value, term.Operator, term.Value));
    }

    private static bool Satisfies(SearchValue actual, ComparisonOperator op, QueryValue expected) => expected switch
    {
        AnyValue => true,
        TextValue text => actual.Kind == SearchValueKind.String && text.Match switch
        {
            TextMatch.Exact => string.Equals(actual.Text, text.Text, StringComparison.Ordinal),
            TextMatch.Prefix => actual.Text!.StartsWith(text.Text, StringComparison.Ordinal),
            TextMatch.Contains => actual.Text!.Contains(text.Text, StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(expected)),
        },
        BooleanValue boolean => actual.Kind == SearchValueKind.Boolean && actual.Boolean == boolean.Value,
        NumberValue number => actual.Kind == SearchValueKind.Number && Compare(actual.Number.CompareTo(number.Number), op),
        DurationValue duration => actual.Kind == SearchValueKind.Duration && Compare(actual.Nanoseconds.CompareTo(duration.Nanoseconds), op),
        _ => throw new ArgumentOutOfRangeException(nameof(expected)),
    };

    private static bool Compare(int order, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => order == 0,
        ComparisonOperator.Greater => order > 0,
        ComparisonOperator.GreaterOrEqual => order >= 0,
        ComparisonOperator.Less => order < 0,
        ComparisonOperator.LessOrEqual => order <= 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static bool FindText(string term, ISearchDocument document, List<MatchedText> matches)
    {
        foreach (var text in document.GetTexts())
        {
            var offset = text.Text.IndexOf(term, StringComparison.OrdinalIgnoreCase);
            if (offset < 0)
                continue;
            matches.Add(Snippet(term, text, offset));
            return true;
        }
        return false;
    }

    private static MatchedText Snippet(string term, SearchText text, int offset)
    {
        var start = Math.Max(0, offset - SnippetContext);
        var end = Math.Min(text.Text.Length, offset + term.Length + SnippetContext);
        // Never cut a surrogate pair in half.
        if (start > 0 && char.IsLowSurrogate(text.Text[start]))
            start--;
        if (end < text.Text.Length && char.IsLowSurrogate(text.Text[end]))
            end++;
        var lead = start > 0 ? "…" : "";
        var body = string.Create(end - start, (text.Text, start), static (span, state) =>
        {
            state.Text.AsSpan(state.start, span.Length).CopyTo(span);
            for (var i = 0; i < span.Length; i++)
            {
                if (span[i] is '\r' or '\n' or '\t')
                    span[i] = ' ';
            }
        });
        var snippet = lead + body + (end < text.Text.Length ? "…" : "");
        return new MatchedText(term, text.Source, offset, term.Length, snippet, lead.Length + offset - start);
    }
}
