using Threadline.Query.Evaluation;
using Threadline.Query.Fields;
using Threadline.Query.Parsing;

namespace Threadline.Query.Tests;

/// <summary>The reference semantics on hand-built documents.</summary>
public sealed class EvaluatorTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    /// <summary>A failed, cold, VIP send-email invocation with payloads, two messages and two spans' attributes.</summary>
    private static readonly SearchDocument SendEmail = new SearchDocument()
        .With(FieldCatalog.Function, "send-email")
        .With(FieldCatalog.Entry, "orders-queue")
        .With(FieldCatalog.Trigger, "sqs")
        .With(FieldCatalog.Status, "error")
        .With(FieldCatalog.Error, "TimeoutError")
        .With(FieldCatalog.Message, "Task timed out after 3.00 seconds")
        .WithDuration(TimeSpan.FromMilliseconds(750))
        .With(FieldCatalog.Cold, true)
        .With(FieldCatalog.Version, "2")
        .With(FieldCatalog.User, "alice@example.com")
        .With(FieldCatalog.Vip, true)
        .With(FieldCatalog.Request, "3f2a9c1e-0000-4000-8000-000000000001")
        .With(FieldCatalog.MessageId, "m-1")
        .With(FieldCatalog.MessageId, "m-2")
        .With(FieldCatalog.Trace, TraceId)
        .WithAttribute(AttributeScope.Span, "http.response.status_code", SearchValue.Of(502))
        .WithAttribute(AttributeScope.Span, "http.method", SearchValue.Of("POST"))
        .WithAttribute(AttributeScope.Span, "db.system", SearchValue.Of("dynamodb"))
        .WithAttribute(AttributeScope.Span, "retry", SearchValue.Of(true))
        .WithAttribute(AttributeScope.Resource, "service.version", SearchValue.Of("2"))
        .WithText("event", "{\"template\":\"payment-receipt\",\"to\":\"bob@example.com\"}")
        .WithText("log", "Sending Payment Receipt\nto bob");

    /// <summary>A quick, warm, successful fetch-orders invocation with no user.</summary>
    private static readonly SearchDocument FetchOrders = new SearchDocument()
        .With(FieldCatalog.Function, "fetch-orders")
        .With(FieldCatalog.Status, "ok")
        .WithDuration(TimeSpan.FromMilliseconds(120))
        .With(FieldCatalog.Cold, false)
        .With(FieldCatalog.Version, "3")
        .WithAttribute(AttributeScope.Span, "http.response.status_code", SearchValue.Of(200))
        .WithAttribute(AttributeScope.Span, "http.method", SearchValue.Of("GET"))
        .WithText("response", "[{\"id\":7,\"item\":\"receipt printer\"}]");

    [Theory]
    [InlineData("", true, true)]
    [InlineData("function:send-email", true, false)]
    [InlineData("function:Send-Email", false, false)]
    [InlineData("function:send*", true, false)]
    [InlineData("function:*orders*", false, true)]
    [InlineData("function:*-*", true, true)]
    [InlineData("function:send", false, false)]
    [InlineData("entry:orders-queue", true, false)]
    [InlineData("trigger:sqs", true, false)]
    [InlineData("error:Timeout*", true, false)]
    [InlineData("message:*\"timed out\"*", true, false)]
    [InlineData("message:*\"Timed Out\"*", false, false)]
    [InlineData("version:2", true, false)]
    [InlineData("user:alice@example.com", true, false)]
    [InlineData("request:3f2a9c1e*", true, false)]
    [InlineData("messageid:m-2", true, false)]
    [InlineData("messageid:m-3", false, false)]
    [InlineData("trace:4bf92f3577b34da6a3ce929d0e0e4736", true, false)]
    [InlineData("trace:4BF92F*", true, false)]
    public void StringFieldsMatchExactlyByPrefixOrBySubstringCaseSensitively(string query, bool sendEmail, bool fetchOrders)
    {
        AssertMatches(query, sendEmail, fetchOrders);
    }

    [Theory]
    [InlineData("status:error", true, false)]
    [InlineData("status:ok", false, true)]
    [InlineData("status!=ok", true, false)]
    [InlineData("cold:true", true, false)]
    [InlineData("cold:false", false, true)]
    [InlineData("vip:true", true, false)]
    [InlineData("vip:false", false, false)]
    [InlineData("vip!=true", false, true)]
    public void StatusAndBooleansMatchTheirValue(string query, bool sendEmail, bool fetchOrders)
    {
        AssertMatches(query, sendEmail, fetchOrders);
    }

    [Theory]
    [InlineData("duration>500ms", true, false)]
    [InlineData("duration>750ms", false, false)]
    [InlineData("duration>=750ms", true, false)]
    [InlineData("duration>=0.75s", true, false)]
    [InlineData("duration:750000us", true, false)]
    [InlineData("duration!=750ms", false, true)]
    [InlineData("duration<750ms", false, true)]
    [InlineData("duration<=120ms", false, true)]
    [InlineData("duration<120ms", false, false)]
    [InlineData("duration>100ms duration<1s", true, true)]
    [InlineData("duration>1m", false, false)]
    public void DurationsCompareAsDurations(string query, bool sendEmail, bool fetchOrders)
    {
        AssertMatches(query, sendEmail, fetchOrders);
    }

    [Theory]
    [InlineData("user!=alice@example.com", false, true)]
    [InlineData("NOT user:alice@example.com", false, true)]
    [InlineData("user:*", true, false)]
    [InlineData("user!=*", false, true)]
    [InlineData("error!=TimeoutError", false, true)]
    [InlineData("messageid!=m-1", false, true)]
    public void NotEqualIsNotOfEqualSoMissingFieldsMatchIt(string query, bool sendEmail, bool fetchOrders)
    {
        AssertMatches(query, sendEmail, fetchOrders);
    }

    [Theory]
    [InlineData("attr.http.response.status_code>=500", true, false)]
    [InlineData("attr.http.response.status_code>=400", true, false)]
    [InlineData("attr.http.response.status_code<300", false, true)]
    [InlineData("attr.http.response.status_code:200", false, true)]
    [InlineData("attr.http.response.status_code:200.0", false, true)]
    [InlineData("attr.http.response.status_code:\"200\"", false, false)]
    [InlineData("attr.http.response.status_code!=200", true, false)]
    [InlineData("attr.http.method:POST", true, false)]
    [InlineData("attr.http.method:P*", true, false)]
    [InlineData("attr.http.method:*E*", false, true)]
    [InlineData("attr.http.method:post", false, false)]
    [InlineData("attr.db.system:*", true, false)]
    [InlineData("attr.db.system!=*", false, true)]
    [InlineData("attr.retry:true", true, false)]
    [InlineData("attr.retry:\"true\"", false, false)]
    [InlineData("attr.retry:false", false, false)]
    [InlineData("resource.service.version:\"2\"", true, false)]
    [InlineData("resource.service.version:2", false, false)]
    [InlineData("attr.service.version:\"2\"", false, false)]
    [InlineData("resource.http.method:POST", false, false)]
    public void AttributesCompareByTheirType(string query, bool sendEmail, bool fetchOrders)
    {
        AssertMatches(query, sendEmail, fetchOrders);
    }

    [Theory]
    [InlineData("function:fetch-orders OR function:send-email cold:false", false, true)]
    [InlineData("(function:fetch-orders OR function:send-email) cold:false", false, true)]
    [InlineData("(function:fetch-orders OR function:send-email) cold:true", true, false)]
    [InlineData("function:fetch-orders OR function:send-email cold:true", true, true)]
    [InlineData("NOT cold:true OR vip:true", true, true)]
    [InlineData("NOT (cold:true OR vip:true)", false, true)]
    [InlineData("NOT cold:true status:ok", false, true)]
    [InlineData("-cold:true -status:ok", false, false)]
    [InlineData("status:error AND vip:true", true, false)]
    [InlineData("status:error OR vip:true", true, false)]
    [InlineData("NOT NOT status:ok", false, true)]
    public void NotBindsTighterThanAndWhichBindsTighterThanOr(string query, bool sendEmail, bool fetchOrders)
    {
        AssertMatches(query, sendEmail, fetchOrders);
    }

    [Theory]
    [InlineData("payment-receipt", true, false)]
    [InlineData("PAYMENT-RECEIPT", true, false)]
    [InlineData("\"payment receipt\"", true, false)]
    [InlineData("receipt", true, true)]
    [InlineData("\"receipt printer\"", false, true)]
    [InlineData("bob@example.com", true, false)]
    [InlineData("\"receipt\\nto\"", false, false)]
    [InlineData("invoice", false, false)]
    [InlineData("receipt NOT printer", true, false)]
    public void FreeTextMatchesPayloadsAndLogsCaseInsensitively(string query, bool sendEmail, bool fetchOrders)
    {
        AssertMatches(query, sendEmail, fetchOrders);
    }

    [Fact]
    public void AFreeTextMatchCarriesItsSourceAndASnippet()
    {
        var match = QueryEvaluator.Evaluate(QueryParser.Parse("status:error \"payment receipt\""), SendEmail);

        Assert.True(match.IsMatch);
        var text = Assert.Single(match.MatchedTexts);
        Assert.Equal(new MatchedText("payment receipt", "log", 8, 15, "Sending Payment Receipt to bob", 8), text);
        Assert.Equal("Payment Receipt", text.Snippet.Substring(text.SnippetOffset, text.Length));
    }

    [Fact]
    public void TheFirstSourceHoldingTheTermIsReported()
    {
        var match = QueryEvaluator.Evaluate(QueryParser.Parse("receipt"), SendEmail);

        var text = Assert.Single(match.MatchedTexts);
        Assert.Equal("event", text.Source);
        Assert.Equal(21, text.Offset);
        Assert.Equal("receipt", text.Snippet.Substring(text.SnippetOffset, text.Length));
    }

    [Fact]
    public void ALongTextIsCutAroundTheMatchWithEllipses()
    {
        var body = new string('a', 100) + "NEEDLE" + new string('b', 100);
        var document = new SearchDocument().WithText("response", body);

        var text = Assert.Single(QueryEvaluator.Evaluate(QueryParser.Parse("needle"), document).MatchedTexts);

        Assert.Equal("…" + new string('a', QueryEvaluator.SnippetContext) + "NEEDLE" + new string('b', QueryEvaluator.SnippetContext) + "…", text.Snippet);
        Assert.Equal(100, text.Offset);
        Assert.Equal(1 + QueryEvaluator.SnippetContext, text.SnippetOffset);
        Assert.Equal("NEEDLE", text.Snippet.Substring(text.SnippetOffset, text.Length));
    }

    [Fact]
    public void ASnippetNeverCutsASurrogatePair()
    {
        // The cut would fall inside the emoji on both sides.
        var body = "x😀" + new string('a', QueryEvaluator.SnippetContext - 1) + "needle" + new string('b', QueryEvaluator.SnippetContext - 1) + "😀x";
        var document = new SearchDocument().WithText("event", body);

        var text = Assert.Single(QueryEvaluator.Evaluate(QueryParser.Parse("needle"), document).MatchedTexts);

        Assert.StartsWith("…😀a", text.Snippet, StringComparison.Ordinal);
        Assert.EndsWith("b😀…", text.Snippet, StringComparison.Ordinal);
        Assert.Equal("needle", text.Snippet.Substring(text.SnippetOffset, text.Length));
    }

    [Fact]
    public void MatchesUnderNotAreNotReportedAndOrReportsEveryBranchThatMatched()
    {
        var or = QueryEvaluator.Evaluate(QueryParser.Parse("payment OR bob OR invoice"), SendEmail);
        Assert.Equal(["payment", "bob"], or.MatchedTexts.Select(m => m.Term));

        var not = QueryEvaluator.Evaluate(QueryParser.Parse("NOT invoice bob"), SendEmail);
        Assert.Equal(["bob"], not.MatchedTexts.Select(m => m.Term));

        var failedAnd = QueryEvaluator.Evaluate(QueryParser.Parse("(payment status:ok) OR vip:true"), SendEmail);
        Assert.True(failedAnd.IsMatch);
        Assert.Empty(failedAnd.MatchedTexts);

        var none = QueryEvaluator.Evaluate(QueryParser.Parse("payment status:ok"), SendEmail);
        Assert.False(none.IsMatch);
        Assert.Empty(none.MatchedTexts);
    }

    [Fact]
    public void ADocumentRefusesValuesOfTheWrongType()
    {
        var document = new SearchDocument();

        Assert.Throws<ArgumentException>(() => document.With(FieldCatalog.Cold, "yes"));
        Assert.Throws<ArgumentException>(() => document.With(FieldCatalog.Function, true));
        Assert.Throws<ArgumentException>(() => document.With(FieldCatalog.Status, "failed"));
        Assert.Throws<ArgumentException>(() => document.With(FieldCatalog.Duration, SearchValue.Of(5.0)));
        Assert.Throws<ArgumentException>(() => document.With(FieldCatalog.Duration, SearchValue.OfDuration(-1)));
        Assert.Throws<ArgumentException>(() => document.WithAttribute(AttributeScope.Span, "k", SearchValue.OfDuration(1)));
    }

    private static void AssertMatches(string query, bool sendEmail, bool fetchOrders)
    {
        var parsed = QueryParser.Parse(query);
        Assert.Equal(sendEmail, QueryEvaluator.Matches(parsed, SendEmail));
        Assert.Equal(fetchOrders, QueryEvaluator.Matches(parsed, FetchOrders));
    }
}
