using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize;
using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>
/// What the OpenTelemetry JS SDK sent with instrumentation-aws-sdk (an SQS SendMessage from a script) and
/// instrumentation-aws-lambda (a handler run on that SQS event), decoded and normalized as the server does.
/// </summary>
public sealed class RealClientFixtureTests
{
    [Theory]
    [InlineData("otlp-node-global-1_v1_traces.bin")]
    [InlineData("otlp-node-xray-1_v1_traces.bin")]
    public void TheConsumerSpanLinkWithTheMessageIdJoinsProducerAndFunction(string fixture)
    {
        var engine = new StitchEngine();
        var spans = Load(fixture);

        engine.Ingest(spans);

        var function = Assert.Single(engine.FindByRequestId("req-0001"));
        Assert.Equal("probe-fn", function.Function);
        Assert.Equal(new Trigger("sqs", "probe-queue"), function.Trigger);
        Assert.True(function.ColdStart);
        var hop = Assert.Single(engine.IncomingHops(function.Id));
        Assert.Equal((HopKind.Async, "sqs", "probe-queue", Via.OtelLink), (hop.Kind, hop.Service, hop.Resource, hop.Via));
        var producer = engine.GetInvocation(hop.From)!;
        Assert.Equal("probe-queue send", producer.Name);
        Assert.False(producer.IsLambda);
        var transaction = engine.GetTransaction(Assert.Single(engine.TransactionsOf(function.Id)))!;
        Assert.Equal(producer.Id, transaction.Summary.EntryInvocation);
        Assert.Equal([producer.Id, function.Id], transaction.Invocations.Select(i => i.Id));
        Assert.Equal(spans.Count, transaction.Invocations.Sum(i => i.SpanIds.Count));
    }

    [Fact]
    public void WithoutTheGlobalPropagatorNothingLinksTheTwoSides()
    {
        var engine = new StitchEngine();

        engine.Ingest(Load("otlp-node-default-1_v1_traces.bin"));

        var function = Assert.Single(engine.FindByRequestId("req-0001"));
        Assert.Empty(engine.IncomingHops(function.Id));
        Assert.Equal(2, engine.ListTransactions(new TransactionFilter()).Count);
    }

    private static List<SpanRecord> Load(string name)
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", name));
        return OtlpTraceNormalizer.Normalize(OtlpDecoder.DecodeTraces(body, OtlpEncoding.Protobuf));
    }
}
