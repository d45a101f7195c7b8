using FsCheck;
using FsCheck.Fluent;
using Threadline.Query.Completion;
using Threadline.Query.Fields;
using Threadline.Query.Parsing;
using Threadline.Query.Printing;
using Threadline.Query.Syntax;

namespace Threadline.Query.Tests;

/// <summary>What the autocomplete sees at the caret (written '|' in the examples), and the text after a pick.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("|", "", 0, 0)]
    [InlineData("fun|", "fun", 0, 3)]
    [InlineData("status:error fu|nc", "fu", 13, 4)]
    [InlineData("status:error |", "", 13, 0)]
    [InlineData("-dur|", "dur", 1, 3)]
    [InlineData("NOT st|", "st", 4, 2)]
    [InlineData("(sta|)", "sta", 1, 3)]
    [InlineData("a \"b c\" |", "", 8, 0)]
    [InlineData("entry:\"POST /orders\" st|", "st", 21, 2)]
    [InlineData("a OR |b", "", 5, 1)]
    public void AWordWithoutAnOperatorIsAFieldName(string marked, string prefix, int start, int length)
    {
        var (text, caret) = Unmark(marked);

        Assert.Equal(new CompletionContext(CompletionKind.Field, prefix, start, length), QueryCompletion.ContextAt(text, caret));
    }

    [Theory]
    [InlineData("attr.|", AttributeScope.Span, "", 5, 0)]
    [InlineData("attr.http.re|", AttributeScope.Span, "http.re", 5, 7)]
    [InlineData("x RESOURCE.serv|ice", AttributeScope.Resource, "serv", 11, 7)]
    [InlineData("-attr.db|", AttributeScope.Span, "db", 6, 2)]
    public void AfterAnAttributeNamespaceItIsAnAttributeKey(string marked, AttributeScope scope, string prefix, int start, int length)
    {
        var (text, caret) = Unmark(marked);

        Assert.Equal(new CompletionContext(CompletionKind.AttributeKey, prefix, start, length, Scope: scope), QueryCompletion.ContextAt(text, caret));
    }

    [Theory]
    [InlineData("function:|", "function", ComparisonOperator.Equal, "", 9, 0)]
    [InlineData("function:se|nd-email status:ok", "function", ComparisonOperator.Equal, "se", 9, 10)]
    [InlineData("status:error|", "status", ComparisonOperator.Equal, "error", 7, 5)]
    [InlineData("duration>=5|", "duration", ComparisonOperator.GreaterOrEqual, "5", 10, 1)]
    [InlineData("duration!=|", "duration", ComparisonOperator.NotEqual, "", 10, 0)]
    [InlineData("entry:\"POST /or|", "entry", ComparisonOperator.Equal, "POST /or", 6, 9)]
    [InlineData("entry:\"POST /or|ders\" x", "entry", ComparisonOperator.Equal, "POST /or", 6, 14)]
    [InlineData("user:\"a\\\"b|", "user", ComparisonOperator.Equal, "a\"b", 5, 5)]
    [InlineData("function:*mai|", "function", ComparisonOperator.Equal, "mai", 9, 4)]
    [InlineData("function:send*|", "function", ComparisonOperator.Equal, "send", 9, 5)]
    [InlineData("(function:a OR function:b|)", "function", ComparisonOperator.Equal, "b", 24, 1)]
    [InlineData("NOT version:|", "version", ComparisonOperator.Equal, "", 12, 0)]
    public void AfterAnOperatorItIsAValueOfTheField(string marked, string field, ComparisonOperator op, string prefix, int start, int length)
    {
        var (text, caret) = Unmark(marked);

        Assert.Equal(
            new CompletionContext(CompletionKind.Value, prefix, start, length, field, new CatalogField(FieldCatalog.Find(field)!), op),
            QueryCompletion.ContextAt(text, caret));
    }

    [Fact]
    public void AttributeAndUnknownFieldsAreValueContextsToo()
    {
        var attribute = QueryCompletion.ContextAt("attr.http.method:P", 18);
        Assert.Equal(CompletionKind.Value, attribute.Kind);
        Assert.Equal(new AttributeField(AttributeScope.Span, "http.method"), attribute.Field);
        Assert.Equal("P", attribute.Prefix);

        var unknown = QueryCompletion.ContextAt("fnction:x", 9);
        Assert.Equal(CompletionKind.Value, unknown.Kind);
        Assert.Equal("fnction", unknown.FieldName);
        Assert.Null(unknown.Field);
    }

    [Fact]
    public void InsideAPhraseThereIsNothingToSuggest()
    {
        Assert.Equal(new CompletionContext(CompletionKind.Phrase, "hello wo", 2, 9), QueryCompletion.ContextAt("a \"hello wo", 11));
    }

    [Fact]
    public void ACaretOutsideTheTextIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QueryCompletion.ContextAt("abc", 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueryCompletion.ContextAt("abc", -1));
    }

    [Theory]
    [InlineData("", new[] { "function", "entry", "trigger", "status", "error", "message", "duration", "cold", "version", "user", "vip", "request", "messageid", "trace", "attr.", "resource." })]
    [InlineData("me", new[] { "message", "messageid" })]
    [InlineData("RE", new[] { "request", "resource." })]
    [InlineData("a", new[] { "attr." })]
    [InlineData("zzz", new string[0])]
    public void FieldsAreSuggestedByPrefixInCatalogueOrder(string prefix, string[] names)
    {
        Assert.Equal(names, QueryCompletion.Fields(prefix).Select(f => f.Name));
    }

    [Fact]
    public void KnownValuesCoverStatusAndBooleans()
    {
        Assert.Equal(["ok", "error"], FieldCatalog.Status.KnownValues);
        Assert.Equal(["true", "false"], FieldCatalog.Vip.KnownValues);
        Assert.Empty(FieldCatalog.Function.KnownValues);
    }

    [Fact]
    public void KnownValuesAreSuggestedByPrefixForTheFieldBeingTyped()
    {
        Assert.Equal(["error"], QueryCompletion.KnownValues(QueryCompletion.ContextAt("status:E", 8).Field, "E"));
        Assert.Equal(["true", "false"], QueryCompletion.KnownValues(QueryCompletion.ContextAt("cold!=", 6).Field, ""));
        Assert.Empty(QueryCompletion.KnownValues(QueryCompletion.ContextAt("function:", 9).Field, ""));
        Assert.Empty(QueryCompletion.KnownValues(QueryCompletion.ContextAt("attr.k:t", 8).Field, "t"));
        Assert.Empty(QueryCompletion.KnownValues(QueryCompletion.ContextAt("fnction:t", 9).Field, "t"));
    }

    [Theory]
    [InlineData("status:error fu|nc", "function", "status:error function:|")]
    [InlineData("fu|:x", "function", "function|:x")]
    [InlineData("a|", "attr.", "attr.|")]
    [InlineData("attr.http.re|", "http.request.method", "attr.http.request.method:|")]
    public void PickingAFieldReplacesTheWord(string marked, string name, string expected)
    {
        var (text, caret) = Unmark(marked);

        var (after, afterCaret) = QueryCompletion.ApplyField(text, QueryCompletion.ContextAt(text, caret), name);

        Assert.Equal(expected, Mark(after, afterCaret));
    }

    [Fact]
    public void PickingAValueWritesItAsTheCanonicalTextWould()
    {
        Assert.Equal("function:\"two words\"| status:ok", ApplyValue("function:se|nd status:ok", new TextValue("two words")));
        Assert.Equal("entry:\"POST /orders\"|", ApplyValue("entry:\"PO|", new TextValue("POST /orders")));
        Assert.Equal("attr.code:404|", ApplyValue("attr.code:4|", new NumberValue(404)));
        Assert.Equal("attr.code:\"404\"|", ApplyValue("attr.code:4|", new TextValue("404")));
        Assert.Equal("duration>1500ms|", ApplyValue("duration>|", new DurationValue(1_500_000_000)));
        Assert.Throws<ArgumentException>(() => QueryCompletion.ApplyValue("fun", QueryCompletion.ContextAt("fun", 3), new TextValue("x")));
        Assert.Throws<ArgumentException>(() => QueryCompletion.ApplyValue("fnction:", QueryCompletion.ContextAt("fnction:", 8), new TextValue("x")));
    }

    [Fact]
    public void AnyTextAndCaretGiveAContextWithinTheText()
    {
        var cases =
            from text in RandomQueries.Garbage
            from at in Gen.Choose(0, int.MaxValue)
            select (text, caret: at % (text.Length + 1));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var context = QueryCompletion.ContextAt(c.text, c.caret);
            Assert.InRange(context.ReplaceStart, 0, c.caret);
            Assert.InRange(context.ReplaceStart + context.ReplaceLength, c.caret, c.text.Length);
        }));
    }

    [Fact]
    public void AtTheEndOfAnyPrintedTermTheContextIsItsFieldAndPickingItsValueGivesTheTermBack()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(RandomQueries.Term.ToArbitrary(), query =>
        {
            var term = (TermNode)query;
            var text = "status:ok " + QueryPrinter.Print(term);

            var context = QueryCompletion.ContextAt(text, text.Length);

            Assert.Equal(CompletionKind.Value, context.Kind);
            Assert.Equal(term.Field, context.Field);
            Assert.Equal(term.Operator, context.Operator);
            if (term.Value is TextValue value)
                Assert.Equal(value.Text, context.Prefix);
            var (picked, caret) = QueryCompletion.ApplyValue(text, context, term.Value);
            Assert.Equal(text, picked);
            Assert.Equal(text.Length, caret);
            Assert.Equal(new AndNode([QueryParser.Parse("status:ok"), term]), QueryParser.Parse(picked));
        }));
    }

    private static string ApplyValue(string marked, QueryValue value)
    {
        var (text, caret) = Unmark(marked);
        var (after, afterCaret) = QueryCompletion.ApplyValue(text, QueryCompletion.ContextAt(text, caret), value);
        return Mark(after, afterCaret);
    }

    private static (string Text, int Caret) Unmark(string marked) => (marked.Replace("|", "", StringComparison.Ordinal), marked.IndexOf('|', StringComparison.Ordinal));

    private static string Mark(string text, int caret) => text.Insert(caret, "|");
}
