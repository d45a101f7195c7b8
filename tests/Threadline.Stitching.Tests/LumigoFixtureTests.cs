using System.Text.Json;
using Threadline.Ingest.Normalize.Lumigo;
using Threadline.Telemetry;

namespace Threadline.Stitching.Tests;

/// <summary>
/// What the open-source Lumigo Node tracer posted to its edge (<c>lumigo-edge-1.json</c>: the <c>_started</c> span;
/// <c>lumigo-edge-2.json</c>: the SQS send and the finished function span of <c>probe-fn</c>, triggered by SQS message
/// <c>m-in-1</c>), normalized as the server does and stitched with functions traced by Threadline's contract: a
/// Threadline producer → the Lumigo function → a Threadline consumer is one transaction.
/// </summary>
public sealed class LumigoFixtureTests
{
    private const string SentMessageId = "4e46950d-f4b7-4da8-ba5c-3d536acb41b0";

    [Fact]
    public void The_function_span_is_an_invocation_with_event_return_value_cold_start_memory_and_scrubbed_environment()
    {
        var spans = Load("lumigo-edge-2.json");

        var function = Assert.Single(spans, s => s.Name == "probe-fn");
        var a = function.Attributes;
        Assert.Equal(("req-lumigo-1", "$LATEST", true, 134_217_728L), (AttributeReader.String(a, "faas.invocation_id"),
            AttributeReader.String(a, "faas.version"), AttributeReader.Bool(a, "faas.coldstart"), AttributeReader.Long(a, "faas.max_memory")));
        Assert.Equal(("sqs", "in-queue", "pubsub"), (AttributeReader.String(a, "threadline.trigger.kind"),
            AttributeReader.String(a, "threadline.trigger.resource"), AttributeReader.String(a, "faas.trigger")));
        Assert.Equal(["sqs:msg:m-in-1"], AttributeReader.Strings(a, "threadline.trigger.keys"));
        Assert.Equal("""{"Records":[{"body":"in","messageAttributes":{},"messageId":"m-in-1"}]}""", AttributeReader.String(a, "threadline.event"));
        Assert.Equal("""{"ok":true}""", AttributeReader.String(a, "threadline.response"));
        Assert.Equal(30_000, AttributeReader.Long(a, "faas.timeout_remaining_ms"));
        Assert.Equal(SpanKind.Consumer, function.Kind);
        Assert.Equal(57_000_000, function.EndTimeUnixNano - function.StartTimeUnixNano);
        Assert.Equal(TelemetryIds.TryParseTraceId("6745a1b20123456789abcdef01234567", out var traceId) ? traceId : 0, function.TraceId);

        using var environment = JsonDocument.Parse(AttributeReader.String(a, "threadline.environment")!);
        var variables = environment.RootElement;
        Assert.Equal("probe-fn", variables.GetProperty("AWS_LAMBDA_FUNCTION_NAME").GetString());
        Assert.Equal("/usr/local/bin:/usr/bin:/bin", variables.GetProperty("PATH").GetString());
        // Our tracer's rules: "key" anywhere in a name (NODE_EXTRA_CA_CERTS has none; a token or secret would).
        Assert.Equal("/tmp/client_probe/tls/cert.pem", variables.GetProperty("NODE_EXTRA_CA_CERTS").GetString());
        Assert.Equal("probe-fn", function.Service);
    }

    [Fact]
    public void The_http_span_is_an_SQS_send_under_the_function_with_payloads_and_the_message_key()
    {
        var spans = Load("lumigo-edge-2.json");
        var function = Assert.Single(spans, s => s.Name == "probe-fn");

        var send = Assert.Single(spans, s => s.Name == "SQS.SendMessage");
        Assert.Equal((SpanKind.Producer, function.SpanId, function.TraceId, "probe-fn"), (send.Kind, send.ParentSpanId, send.TraceId, send.Service));
        var a = send.Attributes;
        Assert.Equal(("aws-api", "SQS", "SendMessage", "probe-queue", "a2feb11b-8e4f-430d-bd19-2f6aefe33e09"),
            (AttributeReader.String(a, "rpc.system"), AttributeReader.String(a, "rpc.service"), AttributeReader.String(a, "rpc.method"),
             AttributeReader.String(a, "threadline.resource"), AttributeReader.String(a, "aws.request_id")));
        Assert.Equal(["sqs:msg:" + SentMessageId], AttributeReader.Strings(a, "threadline.outbound.keys"));
        Assert.Contains("hello from lumigo probe", AttributeReader.String(a, "threadline.request"), StringComparison.Ordinal);
        Assert.Contains(SentMessageId, AttributeReader.String(a, "threadline.response"), StringComparison.Ordinal);
        Assert.Equal(200, AttributeReader.Long(a, "http.response.status_code"));
        Assert.Contains("\"authorization\":\"[scrubbed]\"", AttributeReader.String(a, "threadline.request.headers"), StringComparison.Ordinal);
        Assert.Equal(19_000_000, send.EndTimeUnixNano - send.StartTimeUnixNano);
    }

    [Fact]
    public void A_Threadline_producer_the_Lumigo_function_and_a_Threadline_consumer_are_one_transaction()
    {
        var contract = new ContractSpans();
        var producer = contract.Lambda("req-producer", "checkout", "apigateway").SendMessage("in-queue", "m-in-1");
        var lumigo = Load("lumigo-edge-1.json").Concat(Load("lumigo-edge-2.json")).ToList();
        var consumer = contract.Lambda("req-consumer", "notify", "sqs", "probe-queue", keys: ["sqs:msg:" + SentMessageId]);

        var engine = Harness.Stitch(contract.Spans().Concat(lumigo));

        var function = Assert.Single(engine.FindByRequestId("req-lumigo-1"));
        Assert.Equal(("probe-fn", true, true, new Trigger("sqs", "in-queue")), (function.Function, function.IsLambda, function.ColdStart, function.Trigger));
        // The _started span and the SQS send belong to the invocation: counted once.
        Assert.Equal(3, function.SpanIds.Count);
        var transaction = engine.GetTransaction(Assert.Single(engine.TransactionsOf(function.Id)))!;
        Assert.Equal(producer.Id, transaction.Summary.EntryInvocation);
        Assert.Equal(new[] { producer.Id, function.Id, consumer.Id }.Order(), transaction.Invocations.Select(i => i.Id).Order());
        Assert.Equal(
            [(producer.Id, function.Id, "sqs", "in-queue", Via.SqsMessageId), (function.Id, consumer.Id, "sqs", "probe-queue", Via.SqsMessageId)],
            transaction.Hops.Select(h => (h.From, h.To, h.Service, h.Resource, h.Via)).OrderBy(h => h.From == producer.Id ? 0 : 1));
        Assert.Equal(3, engine.ListTransactions(new TransactionFilter()).Sum(t => t.InvocationCount));
    }

    [Fact]
    public void A_started_span_alone_stands_for_its_invocation_and_already_links_it()
    {
        var contract = new ContractSpans();
        var producer = contract.Lambda("req-producer", "checkout", "apigateway").SendMessage("in-queue", "m-in-1");

        var engine = Harness.Stitch(contract.Spans().Concat(Load("lumigo-edge-1.json")));

        var transaction = engine.GetTransaction(Assert.Single(engine.TransactionsOf(producer.Id)))!;
        var started = Assert.Single(transaction.Invocations, i => i.Id != producer.Id);
        Assert.Equal(("probe-fn", "probe-fn started"), (started.Function, started.Name));
        Assert.Equal(Via.SqsMessageId, Assert.Single(transaction.Hops).Via);
    }

    [Fact]
    public void An_environment_the_tracer_cut_at_its_size_limit_is_read_as_far_as_it_goes_and_scrubbed()
    {
        const string cut = """{"DB_PASSWORD":"hunter2","AWS_LAMBDA_LOG_GROUP_NAME":"/aws/lambda/probe-fn","LUMIGO_TRACER_HOST":"127.0""";
        var span = JsonSerializer.SerializeToElement(new object[]
        {
            new Dictionary<string, object> { ["id"] = "req-cut", ["type"] = "function", ["started"] = 1795663909556, ["name"] = "probe-fn", ["envs"] = cut },
        });

        var record = Assert.Single(LumigoSpanNormalizer.Normalize(span, []));

        using var environment = JsonDocument.Parse(AttributeReader.String(record.Attributes, "threadline.environment")!);
        Assert.Equal(["AWS_LAMBDA_LOG_GROUP_NAME", "DB_PASSWORD"], environment.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("[scrubbed]", environment.RootElement.GetProperty("DB_PASSWORD").GetString());
        Assert.Equal(["threadline.environment"], AttributeReader.Strings(record.Attributes, "threadline.truncated"));
    }

    [Fact]
    public void Kinesis_puts_and_S3_uploads_of_a_Lumigo_function_give_the_keys_a_Threadline_consumer_records()
    {
        var template = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", "lumigo-edge-2.json")));
        using var bulk = JsonDocument.Parse(template);
        var http = System.Text.Json.Nodes.JsonNode.Parse(bulk.RootElement[0].GetRawText())!;
        var kinesis = http.DeepClone();
        kinesis["id"] = "kinesis-put";
        kinesis["service"] = "kinesis";
        kinesis["info"]!["messageId"] = "4959";
        kinesis["info"]!["resourceName"] = "clicks";
        kinesis["info"]!["httpInfo"]!["host"] = "kinesis.us-east-1.amazonaws.com";
        kinesis["info"]!["httpInfo"]!["request"]!["headers"] = """{"x-amz-target":"Kinesis_20131202.PutRecord"}""";
        kinesis["info"]!["httpInfo"]!["request"]!["body"] = """{"StreamName":"clicks","PartitionKey":"u1","Data":"e30="}""";
        kinesis["info"]!["httpInfo"]!["response"]!["body"] = """{"ShardId":"shardId-000000000001","SequenceNumber":"4959"}""";
        var s3 = http.DeepClone();
        s3["id"] = "s3-put";
        s3["service"] = "external";
        s3["info"]!.AsObject().Remove("resourceName");
        s3["info"]!.AsObject().Remove("messageId");
        s3["info"]!["httpInfo"]!["host"] = "invoices.s3.us-east-1.amazonaws.com";
        s3["info"]!["httpInfo"]!["request"]!["method"] = "PUT";
        s3["info"]!["httpInfo"]!["request"]!["path"] = "/2026/inv-1.pdf";
        s3["info"]!["httpInfo"]!["request"]!["headers"] = "{}";
        s3["info"]!["httpInfo"]!["response"]!["headers"] = """{"x-amz-request-id":"S3REQ1"}""";
        var records = LumigoSpanNormalizer.Normalize(JsonSerializer.SerializeToElement(new[] { kinesis, s3, System.Text.Json.Nodes.JsonNode.Parse(bulk.RootElement[1].GetRawText()) }), []);
        var contract = new ContractSpans();
        var clicks = contract.Lambda("req-clicks", "count-clicks", "kinesis", "clicks", keys: ["kinesis:rec:clicks/shardId-000000000001/4959"]);
        var invoices = contract.Lambda("req-invoices", "index-invoice", "s3", "invoices", keys: ["s3:req:S3REQ1"]);

        var engine = Harness.Stitch(records.Concat(contract.Spans()));

        var function = Assert.Single(engine.FindByRequestId("req-lumigo-1"));
        Assert.Equal(
            [(clicks.Id, "kinesis", "clicks", Via.KinesisSequenceNumber), (invoices.Id, "s3", "invoices", Via.S3RequestId)],
            engine.OutgoingHops(function.Id).Select(h => (h.To, h.Service, h.Resource, h.Via)).OrderBy(h => h.Service));
    }

    private static List<SpanRecord> Load(string name)
    {
        using var bulk = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", name)));
        var problems = new List<string>();
        var spans = LumigoSpanNormalizer.Normalize(bulk.RootElement, problems);
        Assert.Empty(problems);
        return spans;
    }
}
