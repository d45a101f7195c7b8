using Threadline.Query.Parsing;

namespace Threadline.Query.Tests;

/// <summary>Every kind of malformed query: the message names the 1-based position and what was expected.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    // The example of a type mismatch.
    [InlineData("function:x duration>fast", 21, "position 21: duration takes a duration such as 500ms; got 'fast'")]
    [InlineData("duration>500", 10, "position 10: duration takes a duration such as 500ms; got '500'")]
    [InlineData("duration>-5ms", 10, "duration takes a duration such as 500ms; got '-5ms'")]
    [InlineData("duration>\"500ms\"", 10, "duration takes a duration such as 500ms; got '\"500ms\"'")]
    [InlineData("duration:*", 10, "duration takes a duration such as 500ms; got '*'")]
    [InlineData("duration>99999999999h", 10, "duration takes a duration such as 500ms; got '99999999999h'")]
    [InlineData("status:fine", 8, "position 8: status takes ok or error; got 'fine'")]
    [InlineData("status:ok*", 8, "status takes ok or error; got 'ok*'")]
    [InlineData("cold:yes", 6, "position 6: cold takes true or false; got 'yes'")]
    [InlineData("vip:*", 5, "vip takes true or false; got '*'")]
    [InlineData("trace:xyz", 7, "position 7: trace takes a trace id of 32 hex digits or a hex prefix such as 4bf92f*; got 'xyz'")]
    [InlineData("trace:4bf92f", 7, "trace takes a trace id of 32 hex digits")]
    [InlineData("trace:*4bf*", 7, "trace takes a trace id")]
    [InlineData("request:*abc*", 9, "position 9: request takes an id or an id prefix such as 3f2a*; got '*abc*'")]
    [InlineData("attr.http.status_code>=high", 24, "position 24: attr.http.status_code>= takes a number such as 400; got 'high'")]
    [InlineData("attr.k>\"400\"", 8, "attr.k> takes a number such as 400; got '\"400\"'")]
    [InlineData("attr.k<*", 8, "attr.k< takes a number such as 400; got '*'")]
    [InlineData("attr.k:1e999", 8, "position 8: expected a number within")]
    public void AValueTheFieldDoesNotTakeNamesTheFieldAndWhatItTakes(string query, int position, string message)
    {
        AssertFails(query, position, message);
    }

    [Theory]
    [InlineData("function>x", 9, "position 9: function takes ':' or '!='; got '>'")]
    [InlineData("status<=ok", 7, "status takes ':' or '!='; got '<='")]
    [InlineData("cold>true", 5, "cold takes ':' or '!='; got '>'")]
    [InlineData("trace>=a", 6, "trace takes ':' or '!='; got '>='")]
    public void AnOperatorTheFieldDoesNotTakeIsNamed(string query, int position, string message)
    {
        AssertFails(query, position, message);
    }

    [Theory]
    [InlineData("fnction:x", 1, "position 1: expected a field name: function, entry, trigger, status, error, message, duration, cold, version, user, vip, request, messageid, trace, attr.<key> or resource.<key> (quote free text that holds an operator); got 'fnction'")]
    [InlineData("see https://example.com", 5, "position 5: expected a field name: function, entry")]
    [InlineData("a spans:3", 3, "expected a field name")]
    [InlineData("attr.:x", 6, "position 6: expected an attribute key after 'attr.'; got ':x'")]
    [InlineData("resource.>1", 10, "expected an attribute key after 'resource.'")]
    [InlineData(":x", 1, "position 1: expected a field name before the operator; got ':x'")]
    [InlineData(">5", 1, "expected a field name before the operator")]
    [InlineData("\"function\":x", 1, "position 1: expected a field name before the operator (field names are not quoted)")]
    public void AnUnknownOrMissingFieldIsNamed(string query, int position, string message)
    {
        AssertFails(query, position, message);
    }

    [Theory]
    [InlineData("function:", 10, "position 10: expected a value after 'function:': a value, a prefix such as send* or a substring such as *mail*; got end of query")]
    [InlineData("duration> 5ms", 10, "expected a value after 'duration>': a duration such as 500ms")]
    [InlineData("(status:)", 9, "expected a value after 'status:': ok or error; got ')'")]
    [InlineData("function:\"\"", 10, "position 10: expected a non-empty value for function")]
    [InlineData("function:**", 10, "expected a non-empty value for function")]
    [InlineData("function:*mail", 10, "position 10: expected '*' at both ends for a substring (*text*); suffixes are not searchable; got '*mail'")]
    [InlineData("function:se*nd", 12, "position 12: expected '*' only at the end (prefix*) or at both ends (*contains*) of a value")]
    [InlineData("function:a**", 11, "expected '*' only at the end")]
    [InlineData("function:a\"b\"", 11, "position 11: expected a space or ')' after the term")]
    [InlineData("function:a(b)", 11, "expected a space or ')' after the term")]
    [InlineData("function:\"unterminated", 10, "position 10: expected a closing '\"' for this quote; got '\"unterminated'")]
    [InlineData("function=x", 9, "position 9: expected ':' for equality (field:value) or one of != > >= < <=; got '='")]
    public void AMissingOrMalformedValueIsNamed(string query, int position, string message)
    {
        AssertFails(query, position, message);
    }

    [Theory]
    [InlineData("a AND", 6, "position 6: expected a term after AND; got end of query")]
    [InlineData("a OR", 5, "expected a term after OR; got end of query")]
    [InlineData("NOT", 4, "expected a term after NOT; got end of query")]
    [InlineData("a OR OR b", 6, "position 6: expected a term after OR; got 'OR'")]
    [InlineData("a AND OR b", 7, "expected a term after AND; got 'OR'")]
    [InlineData("OR a", 1, "position 1: expected a term (quote \"OR\" to search for the word); got 'OR'")]
    [InlineData("and", 1, "expected a term (quote \"and\" to search for the word)")]
    [InlineData("(a", 3, "position 3: expected ')' to close the '(' at position 1; got end of query")]
    [InlineData("((a) b", 7, "expected ')' to close the '(' at position 1")]
    [InlineData("a)", 2, "position 2: expected a term or the end of the query (no '(' is open here); got ')'")]
    [InlineData(")", 1, "expected a term; got ')'")]
    [InlineData("()", 2, "position 2: expected a term inside the parentheses; got ')'")]
    [InlineData("( )", 3, "expected a term inside the parentheses")]
    [InlineData("(NOT )", 6, "expected a term after NOT; got ')'")]
    [InlineData("\"\"", 1, "position 1: expected a phrase inside the quotes; got '\"\"'")]
    [InlineData("say \"hi", 5, "position 5: expected a closing '\"' for this quote; got '\"hi'")]
    [InlineData("\"a\\\"", 1, "expected a closing '\"' for this quote")]
    [InlineData("foo*", 4, "position 4: free text already matches anywhere: drop the '*', or quote the text to search for a '*'; got 'foo*'")]
    [InlineData("foo(bar)", 4, "position 4: expected a space or ')' after the term")]
    [InlineData("\"a\"b", 4, "expected a space or ')' after the term")]
    public void StructuralErrorsNameThePositionAndWhatWasExpected(string query, int position, string message)
    {
        AssertFails(query, position, message);
    }

    [Fact]
    public void NestingDeeperThanTheLimitIsAnErrorNotAStackOverflow()
    {
        var depth = QueryParser.MaxDepth + 1;
        AssertFails(new string('(', depth) + "a" + new string(')', depth), depth, "expected at most 64 nested parentheses and NOTs");
        AssertFails(string.Concat(Enumerable.Repeat("NOT ", 100_000)) + "a", (4 * QueryParser.MaxDepth) + 1, "expected at most 64 nested");
        AssertFails(new string('-', 100_000) + "a", QueryParser.MaxDepth + 1, "expected at most 64 nested");
        AssertFails(new string('(', 100_000), QueryParser.MaxDepth + 1, "expected at most 64 nested");
    }

    [Fact]
    public void TryParseReportsTheErrorWithoutThrowing()
    {
        Assert.False(QueryParser.TryParse("duration>fast", out _, out var error));
        Assert.Equal(10, error!.Position);
        Assert.Equal(9, error.Offset);
        Assert.Equal("duration takes a duration such as 500ms", error.Expected);
        Assert.Equal("fast", error.Found);

        Assert.True(QueryParser.TryParse("duration>1s", out var query, out error));
        Assert.Null(error);
        Assert.IsType<Threadline.Query.Syntax.TermNode>(query);
    }

    private static void AssertFails(string query, int position, string message)
    {
        var error = Assert.Throws<QueryParseException>(() => QueryParser.Parse(query));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(position, error.Position);
    }
}
