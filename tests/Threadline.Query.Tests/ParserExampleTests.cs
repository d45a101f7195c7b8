using Threadline.Query.Fields;
using Threadline.Query.Parsing;
using Threadline.Query.Printing;
using Threadline.Query.Syntax;

namespace Threadline.Query.Tests;

/// <summary>What each form of the syntax parses to, and its canonical text.</summary>
public sealed class ParserExampleTests
{
    private static TermNode Term(FieldDefinition field, ComparisonOperator op, QueryValue value) => new(new CatalogField(field), op, value);

    private static TermNode Attr(string key, ComparisonOperator op, QueryValue value) => new(new AttributeField(AttributeScope.Span, key), op, value);

    private static AndNode And(params QueryNode[] operands) => new([.. operands]);

    private static OrNode Or(params QueryNode[] operands) => new([.. operands]);

    private static FreeTextNode Text(string text) => new(text);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void BlankQueriesMatchEverything(string text)
    {
        Assert.Equal(new MatchAllNode(), QueryParser.Parse(text));
        Assert.Equal("", QueryPrinter.Print(QueryParser.Parse(text)));
    }

    [Fact]
    public void TheIssueExampleParsesToItsTerms()
    {
        var query = QueryParser.Parse("function:send-email status:error duration>500ms \"payment-receipt\"");

        Assert.Equal(
            And(
                Term(FieldCatalog.Function, ComparisonOperator.Equal, new TextValue("send-email")),
                Term(FieldCatalog.Status, ComparisonOperator.Equal, new TextValue("error")),
                Term(FieldCatalog.Duration, ComparisonOperator.Greater, new DurationValue(500_000_000)),
                Text("payment-receipt")),
            query);
        Assert.Equal("function:send-email status:error duration>500ms payment-receipt", QueryPrinter.Print(query));
    }

    [Fact]
    public void TheIssueAttributeExampleParsesToANumericRangeAndANot()
    {
        var query = QueryParser.Parse("attr.http.response.status_code>=400 NOT version:2");

        Assert.Equal(
            And(
                Attr("http.response.status_code", ComparisonOperator.GreaterOrEqual, new NumberValue(400)),
                new NotNode(Term(FieldCatalog.Version, ComparisonOperator.Equal, new TextValue("2")))),
            query);
    }

    [Theory]
    [InlineData("(trigger:sqs OR trigger:sns) -cold:true message:*\"timed out\"*", "(trigger:sqs OR trigger:sns) NOT cold:true message:*\"timed out\"*")]
    [InlineData("attr.url:http://a:80/x?y=1", "attr.url:http://a:80/x?y=1")]
    [InlineData("entry:\"POST /ord\"*", "entry:\"POST /ord\"*")]
    [InlineData("\"foo*\"", "\"foo*\"")]
    public void TheExamplesOfTheDocsParse(string text, string canonical)
    {
        Assert.Equal(canonical, QueryPrinter.Print(QueryParser.Parse(text)));
    }

    [Fact]
    public void TreesThatDifferAreNotEqual()
    {
        Assert.NotEqual<QueryNode>(And(Text("a"), Text("b")), And(Text("b"), Text("a")));
        Assert.NotEqual<QueryNode>(And(Text("a"), Text("b")), Or(Text("a"), Text("b")));
        Assert.NotEqual<QueryNode>(Term(FieldCatalog.User, ComparisonOperator.Equal, new TextValue("a")), Term(FieldCatalog.Function, ComparisonOperator.Equal, new TextValue("a")));
        Assert.NotEqual<QueryNode>(Attr("k", ComparisonOperator.Equal, new TextValue("a", TextMatch.Prefix)), Attr("k", ComparisonOperator.Equal, new TextValue("a")));
        Assert.Equal(And(Text("a"), new NotNode(Text("b"))).GetHashCode(), And(Text("a"), new NotNode(Text("b"))).GetHashCode());
    }

    [Theory]
    [InlineData("duration:500ms", ComparisonOperator.Equal)]
    [InlineData("duration!=500ms", ComparisonOperator.NotEqual)]
    [InlineData("duration>500ms", ComparisonOperator.Greater)]
    [InlineData("duration>=500ms", ComparisonOperator.GreaterOrEqual)]
    [InlineData("duration<500ms", ComparisonOperator.Less)]
    [InlineData("duration<=500ms", ComparisonOperator.LessOrEqual)]
    public void EveryOperatorParsesAndPrints(string text, ComparisonOperator op)
    {
        var query = QueryParser.Parse(text);

        Assert.Equal(Term(FieldCatalog.Duration, op, new DurationValue(500_000_000)), query);
        Assert.Equal(text, QueryPrinter.Print(query));
    }

    [Theory]
    [InlineData("250us", 250_000L, "250us")]
    [InlineData("250µs", 250_000L, "250us")]
    [InlineData("500ms", 500_000_000L, "500ms")]
    [InlineData("1.5s", 1_500_000_000L, "1500ms")]
    [InlineData("2s", 2_000_000_000L, "2s")]
    [InlineData("2m", 120_000_000_000L, "2m")]
    [InlineData("90s", 90_000_000_000L, "90s")]
    [InlineData("1h", 3_600_000_000_000L, "1h")]
    [InlineData("0.5h", 1_800_000_000_000L, "30m")]
    [InlineData("7ns", 7L, "7ns")]
    [InlineData("0s", 0L, "0ms")]
    public void DurationsReadInWholeNanosecondsAndPrintInTheLargestExactUnit(string written, long nanoseconds, string canonical)
    {
        var query = QueryParser.Parse("duration>" + written);

        Assert.Equal(Term(FieldCatalog.Duration, ComparisonOperator.Greater, new DurationValue(nanoseconds)), query);
        Assert.Equal("duration>" + canonical, QueryPrinter.Print(query));
    }

    [Fact]
    public void EveryCatalogueFieldParsesItsExample()
    {
        foreach (var field in FieldCatalog.All)
        {
            var query = QueryParser.Parse(field.Example);
            var term = Assert.IsType<TermNode>(query);
            Assert.Equal(new CatalogField(field), term.Field);
            Assert.Equal(field.Example, QueryPrinter.Print(query));
        }
    }

    [Theory]
    [InlineData("function:send-email", "function", TextMatch.Exact, "send-email")]
    [InlineData("entry:\"POST /orders\"", "entry", TextMatch.Exact, "POST /orders")]
    [InlineData("trigger:sqs", "trigger", TextMatch.Exact, "sqs")]
    [InlineData("error:Timeout*", "error", TextMatch.Prefix, "Timeout")]
    [InlineData("message:*\"timed out\"*", "message", TextMatch.Contains, "timed out")]
    [InlineData("message:\"timed out\"*", "message", TextMatch.Prefix, "timed out")]
    [InlineData("version:2", "version", TextMatch.Exact, "2")]
    [InlineData("user:alice@example.com", "user", TextMatch.Exact, "alice@example.com")]
    [InlineData("request:3f2a9c1e-0000-4000-8000-000000000001", "request", TextMatch.Exact, "3f2a9c1e-0000-4000-8000-000000000001")]
    [InlineData("request:3f2a*", "request", TextMatch.Prefix, "3f2a")]
    [InlineData("messageid:0b4d*", "messageid", TextMatch.Prefix, "0b4d")]
    [InlineData("trace:4BF92F3577B34DA6A3CE929D0E0E4736", "trace", TextMatch.Exact, "4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("trace:4bf9*", "trace", TextMatch.Prefix, "4bf9")]
    [InlineData("status:ERROR", "status", TextMatch.Exact, "error")]
    [InlineData("Status:ok", "status", TextMatch.Exact, "ok")]
    public void StringFieldsTakeExactPrefixAndSubstringValues(string text, string field, TextMatch match, string value)
    {
        var query = QueryParser.Parse(text);

        Assert.Equal(Term(FieldCatalog.Find(field)!, ComparisonOperator.Equal, new TextValue(value, match)), query);
    }

    [Theory]
    [InlineData("cold:true", "cold", true)]
    [InlineData("cold:FALSE", "cold", false)]
    [InlineData("vip:True", "vip", true)]
    public void BooleanFieldsTakeTrueOrFalseInAnyCase(string text, string field, bool value)
    {
        Assert.Equal(Term(FieldCatalog.Find(field)!, ComparisonOperator.Equal, new BooleanValue(value)), QueryParser.Parse(text));
    }

    [Theory]
    [InlineData("attr.http.response.status_code:200", "http.response.status_code", ComparisonOperator.Equal)]
    [InlineData("attr.retries>-1.5", "retries", ComparisonOperator.Greater)]
    [InlineData("attr.size<=1e3", "size", ComparisonOperator.LessOrEqual)]
    public void AttributeNumbersAreNumeric(string text, string key, ComparisonOperator op)
    {
        var term = Assert.IsType<TermNode>(QueryParser.Parse(text));
        Assert.Equal(new AttributeField(AttributeScope.Span, key), term.Field);
        Assert.Equal(op, term.Operator);
        Assert.IsType<NumberValue>(term.Value);
    }

    [Fact]
    public void AttributeValuesAreTypedByHowTheyAreWritten()
    {
        Assert.Equal(Attr("k", ComparisonOperator.Equal, new NumberValue(200)), QueryParser.Parse("attr.k:200"));
        Assert.Equal(Attr("k", ComparisonOperator.Equal, new TextValue("200")), QueryParser.Parse("attr.k:\"200\""));
        Assert.Equal(Attr("k", ComparisonOperator.Equal, new BooleanValue(true)), QueryParser.Parse("attr.k:TRUE"));
        Assert.Equal(Attr("k", ComparisonOperator.Equal, new TextValue("true")), QueryParser.Parse("attr.k:\"true\""));
        Assert.Equal(Attr("k", ComparisonOperator.Equal, new TextValue("GET")), QueryParser.Parse("attr.k:GET"));
        Assert.Equal(Attr("k", ComparisonOperator.Equal, new TextValue("20", TextMatch.Prefix)), QueryParser.Parse("attr.k:20*"));
        Assert.Equal(Attr("k", ComparisonOperator.NotEqual, new TextValue("amazonaws", TextMatch.Contains)), QueryParser.Parse("attr.k!=*amazonaws*"));
        Assert.Equal(Attr("k", ComparisonOperator.Equal, new AnyValue()), QueryParser.Parse("attr.k:*"));
        Assert.Equal(Attr("url", ComparisonOperator.Equal, new TextValue("http://a:80/x?y=1")), QueryParser.Parse("attr.url:http://a:80/x?y=1"));
        Assert.Equal("attr.k:\"200\" attr.k:\"true\"", QueryPrinter.Print(QueryParser.Parse("attr.k:\"200\" attr.k:\"true\"")));
    }

    [Fact]
    public void ResourceAttributesKeepTheirKeyCase()
    {
        var query = QueryParser.Parse("RESOURCE.Service.Version:2");

        Assert.Equal(new TermNode(new AttributeField(AttributeScope.Resource, "Service.Version"), ComparisonOperator.Equal, new NumberValue(2)), query);
        Assert.Equal("resource.Service.Version:2", QueryPrinter.Print(query));
    }

    [Fact]
    public void NotBindsTighterThanAndWhichBindsTighterThanOr()
    {
        var query = QueryParser.Parse("a b OR NOT c d");

        Assert.Equal(Or(And(Text("a"), Text("b")), And(new NotNode(Text("c")), Text("d"))), query);
        Assert.Equal("a b OR NOT c d", QueryPrinter.Print(query));
    }

    [Fact]
    public void ParenthesesOverridePrecedence()
    {
        var query = QueryParser.Parse("a (b OR c) NOT (d e)");

        Assert.Equal(And(Text("a"), Or(Text("b"), Text("c")), new NotNode(And(Text("d"), Text("e")))), query);
        Assert.Equal("a (b OR c) NOT (d e)", QueryPrinter.Print(query));
    }

    [Theory]
    [InlineData("a AND b", "a b")]
    [InlineData("a and b", "a b")]
    [InlineData("a or b", "a OR b")]
    [InlineData("not a", "NOT a")]
    [InlineData("-a", "NOT a")]
    [InlineData("-status:error", "NOT status:error")]
    [InlineData("--a", "NOT NOT a")]
    [InlineData("NOT(a)", "NOT a")]
    [InlineData("((a))", "a")]
    [InlineData("(a b) c", "a b c")]
    [InlineData("(a OR b) OR c", "a OR b OR c")]
    [InlineData("  a\t\tb  ", "a b")]
    [InlineData("a - b", "a \"-\" b")]
    [InlineData("\"and\" \"NOT\"", "\"and\" \"NOT\"")]
    [InlineData("\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\"")]
    [InlineData("\"back\\\\slash\"", "back\\slash")]
    [InlineData("\"C:\\dir\"", "\"C:\\\\dir\"")]
    [InlineData("Function:x", "function:x")]
    [InlineData("attr.k:\"GET\"", "attr.k:GET")]
    [InlineData("function:\"two words\"", "function:\"two words\"")]
    [InlineData("send-email", "send-email")]
    [InlineData("ORacle ANDroid NOTes", "ORacle ANDroid NOTes")]
    public void CanonicalText(string text, string canonical)
    {
        Assert.Equal(canonical, QueryPrinter.Print(QueryParser.Parse(text)));
    }

    [Fact]
    public void DeepButBoundedNestingParses()
    {
        var depth = QueryParser.MaxDepth;
        var text = new string('(', depth) + "a" + new string(')', depth);

        Assert.Equal(Text("a"), QueryParser.Parse(text));
    }

    [Fact]
    public void ManyAdjacentTermsParseWithoutRecursion()
    {
        var text = string.Join(' ', Enumerable.Range(0, 20_000).Select(i => $"w{i}"));

        var and = Assert.IsType<AndNode>(QueryParser.Parse(text));
        Assert.Equal(20_000, and.Operands.Length);
    }
}
