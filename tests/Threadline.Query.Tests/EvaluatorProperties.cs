using FsCheck;
using FsCheck.Fluent;
using Threadline.Query.Evaluation;
using Threadline.Query.Fields;
using Threadline.Query.Parsing;
using Threadline.Query.Printing;
using Threadline.Query.Syntax;

namespace Threadline.Query.Tests;

/// <summary>
/// Random documents, queried through the whole chain (tree → canonical text → parser → evaluator) for what they hold:
/// a value a document holds is found exactly, by any prefix and by any substring of it, and <c>!=</c> excludes it;
/// numbers and durations sit on the right side of every range; any substring of a text, in any case, is found with
/// a snippet that shows it; and NOT, AND and OR combine those answers as the boolean operators do.
/// </summary>
public sealed class EvaluatorProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly FieldDefinition[] StringFields =
        [.. FieldCatalog.All.Where(f => f.Type is FieldType.Keyword or FieldType.Id)];

    private sealed record Generated(
        SearchDocument Document,
        List<(FieldDefinition Field, string Value)> Strings,
        List<(string Key, double Value)> Numbers,
        long Nanoseconds,
        string TraceId,
        List<string> Texts);

    private static Gen<Generated> Documents =>
        from strings in Gen.ListOf(
            from definition in Gen.Elements(StringFields)
            from value in RandomQueries.Text("abcxyzABC019 _-./:\"\\*()é😀")
            select (definition, value))
        from numbers in Gen.ListOf(RandomQueries.Number)
        from nanoseconds in Gen.Choose(0, int.MaxValue).Select(n => (long)n * 1000)
        from trace in Gen.ArrayOf(Gen.Elements("0123456789abcdef".ToCharArray()), 32).Select(c => new string(c))
        from texts in Gen.NonEmptyListOf(RandomQueries.Text("abcxyzABC019 \n\t\"*()-é😀", 120))
        select Build([.. strings], [.. numbers.Select((n, i) => ($"n{i}", n))], nanoseconds, trace, [.. texts]);

    private static Generated Build(
        List<(FieldDefinition Field, string Value)> strings, List<(string Key, double Value)> numbers, long nanoseconds, string trace, List<string> texts)
    {
        var document = new SearchDocument()
            .With(FieldCatalog.Duration, SearchValue.OfDuration(nanoseconds))
            .With(FieldCatalog.Trace, trace);
        foreach (var (field, value) in strings)
            document.With(field, value);
        foreach (var (key, value) in numbers)
            document.WithAttribute(AttributeScope.Span, key, SearchValue.Of(value));
        foreach (var (text, i) in texts.Select((t, i) => (t, i)))
            document.WithText($"text{i}", text);
        return new Generated(document, strings, numbers, nanoseconds, trace, texts);
    }

    [Fact]
    public void AHeldValueIsFoundExactlyByPrefixAndBySubstringAndNotEqualExcludesIt()
    {
        var cases = from document in Documents
                    from cut in Gen.Two(Gen.Choose(0, int.MaxValue))
                    select (document, cut);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            foreach (var (field, value) in c.document.Strings)
            {
                var start = c.cut.Item1 % value.Length;
                var length = 1 + (c.cut.Item2 % (value.Length - start));
                Assert.True(Matches(c.document, Term(field, ComparisonOperator.Equal, new TextValue(value))));
                Assert.True(Matches(c.document, Term(field, ComparisonOperator.Equal, new TextValue(value[..length], TextMatch.Prefix))));
                if (field.Type == FieldType.Keyword)
                    Assert.True(Matches(c.document, Term(field, ComparisonOperator.Equal, new TextValue(value.Substring(start, length), TextMatch.Contains))));
                Assert.False(Matches(c.document, Term(field, ComparisonOperator.NotEqual, new TextValue(value))));
                Assert.True(Matches(c.document, Term(field, ComparisonOperator.Equal, new AnyValue())));
            }
            foreach (var field in StringFields.Where(f => c.document.Strings.All(s => s.Field != f)))
                Assert.False(Matches(c.document, Term(field, ComparisonOperator.Equal, new AnyValue())));

            var trace = new CatalogField(FieldCatalog.Trace);
            Assert.True(Matches(c.document, new TermNode(trace, ComparisonOperator.Equal, new TextValue(c.document.TraceId))));
            Assert.True(Matches(c.document, QueryParser.Parse($"trace:{c.document.TraceId[..(1 + (c.cut.Item1 % 31))].ToUpperInvariant()}*")));
        }));
    }

    [Fact]
    public void NumbersAndDurationsSitOnTheRightSideOfEveryRange()
    {
        Check.One(Runs, Prop.ForAll(Documents.ToArbitrary(), document =>
        {
            foreach (var (key, value) in document.Numbers)
            {
                var field = new AttributeField(AttributeScope.Span, key);
                Assert.True(Matches(document, new TermNode(field, ComparisonOperator.Equal, new NumberValue(value))));
                Assert.True(Matches(document, new TermNode(field, ComparisonOperator.GreaterOrEqual, new NumberValue(value))));
                Assert.True(Matches(document, new TermNode(field, ComparisonOperator.LessOrEqual, new NumberValue(value))));
                Assert.False(Matches(document, new TermNode(field, ComparisonOperator.Greater, new NumberValue(value))));
                Assert.False(Matches(document, new TermNode(field, ComparisonOperator.Less, new NumberValue(value))));
                Assert.False(Matches(document, new TermNode(field, ComparisonOperator.Equal, new TextValue(PrintNumber(value)))));
            }
            var duration = new CatalogField(FieldCatalog.Duration);
            var exact = new DurationValue(document.Nanoseconds);
            Assert.True(Matches(document, new TermNode(duration, ComparisonOperator.Equal, exact)));
            Assert.True(Matches(document, new TermNode(duration, ComparisonOperator.GreaterOrEqual, exact)));
            Assert.False(Matches(document, new TermNode(duration, ComparisonOperator.Greater, exact)));
            Assert.True(Matches(document, new TermNode(duration, ComparisonOperator.Less, new DurationValue(document.Nanoseconds + 1))));
            Assert.False(Matches(document, new TermNode(duration, ComparisonOperator.NotEqual, exact)));
        }));
    }

    [Fact]
    public void AnySubstringOfATextInAnyCaseIsFoundWithASnippetThatShowsIt()
    {
        var cases = from document in Documents
                    from pick in Gen.Three(Gen.Choose(0, int.MaxValue))
                    from upper in Gen.ArrayOf(Gen.Elements(true, false), 200)
                    select (document, pick, upper);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var text = c.document.Texts[c.pick.Item1 % c.document.Texts.Count];
            var start = c.pick.Item2 % text.Length;
            var length = 1 + (c.pick.Item3 % (text.Length - start));
            if (char.IsLowSurrogate(text[start]) || (start + length < text.Length && char.IsLowSurrogate(text[start + length])))
                return;
            var term = string.Concat(text.Substring(start, length).Select((ch, i) => c.upper[i % c.upper.Length] ? char.ToUpperInvariant(ch) : ch));

            var match = QueryEvaluator.Evaluate(QueryParser.Parse(QueryPrinter.Print(new FreeTextNode(term))), c.document.Document);

            Assert.True(match.IsMatch);
            var found = Assert.Single(match.MatchedTexts);
            var source = c.document.Texts[int.Parse(found.Source[4..], System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal(term, source.Substring(found.Offset, found.Length), ignoreCase: true);
            Assert.Equal(
                term.Replace('\n', ' ').Replace('\t', ' '),
                found.Snippet.Substring(found.SnippetOffset, found.Length),
                ignoreCase: true);
            Assert.True(found.Snippet.Length <= found.Length + (2 * QueryEvaluator.SnippetContext) + 4);
        }));
    }

    [Fact]
    public void NotAndAndOrCombineAnswersAsBooleans()
    {
        var cases = from document in Documents
                    from queries in Gen.ArrayOf(RandomQueries.Query, 2)
                    select (document, queries[0], queries[1]);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (document, a, b) = (c.document.Document, c.Item2, c.Item3);
            var (ma, mb) = (QueryEvaluator.Matches(a, document), QueryEvaluator.Matches(b, document));
            Assert.Equal(!ma, Matches(c.document, new NotNode(a)));
            Assert.Equal(ma && mb, Matches(c.document, new AndNode([a, b])));
            Assert.Equal(ma || mb, Matches(c.document, new OrNode([a, b])));
            Assert.Equal(!(ma || mb), Matches(c.document, new AndNode([new NotNode(a), new NotNode(b)])));
        }));
    }

    private static string PrintNumber(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static TermNode Term(FieldDefinition field, ComparisonOperator op, QueryValue value) => new(new CatalogField(field), op, value);

    /// <summary>Evaluates the query as a user would run it: printed, parsed back, then evaluated.</summary>
    private static bool Matches(Generated document, QueryNode query) =>
        QueryEvaluator.Matches(QueryParser.Parse(QueryPrinter.Print(RandomQueries.Normalize(query))), document.Document);
}
