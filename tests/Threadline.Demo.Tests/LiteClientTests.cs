using System.Text;
using System.Text.Json.Nodes;
using Threadline.Demo.AwsLite.EventBridge;
using Threadline.Demo.AwsLite.Kinesis;
using Threadline.Demo.AwsLite.Lambda;
using Threadline.Demo.AwsLite.Sns;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;

namespace Threadline.Demo.Tests;

/// <summary>
/// The demo's AWSSDK.Core-based SNS, Kinesis, EventBridge and Lambda clients, called from a traced function in the
/// sandbox: the tracer's pipeline hook records each call with the right outbound keys, and Threadline links the
/// producer to the function the call triggered.
/// </summary>
public sealed class LiteClientTests : IAsyncLifetime
{
    private TracedSandbox _traced = null!;

    public async ValueTask InitializeAsync() => _traced = await TracedSandbox.StartAsync();

    public async ValueTask DisposeAsync() => await _traced.DisposeAsync();

    private Threadline.Sandbox.SandboxHost Sandbox => _traced.Sandbox;

    [Fact]
    public async Task Sns_publish_records_the_message_id_injects_traceparent_and_links_the_subscribed_function()
    {
        var topic = Sandbox.Sns.CreateTopic("orders");
        Sandbox.Functions.Deploy(new FunctionDefinition("on-order", (_, _) => Task.FromResult<JsonNode?>(null)));
        Sandbox.Sns.Subscribe(topic, Sandbox.Arns.Function("on-order"));
        Sandbox.Functions.Deploy(new FunctionDefinition("publisher", () =>
        {
            var sns = _traced.Clients.Sns();
            return async (_, _) =>
            {
                var published = await sns.PublishAsync(new PublishRequest
                {
                    TopicArn = topic,
                    Message = """{"order":1}""",
                    MessageAttributes = new() { ["userId"] = new() { DataType = "String", StringValue = "u-0001" } },
                });
                return new JsonObject { ["messageId"] = published.MessageId, ["requestId"] = published.ResponseMetadata.RequestId };
            };
        }));

        var producer = await Sandbox.Functions.InvokeAsync("publisher", new JsonObject());
        var consumer = await _traced.WaitForInvocationAsync(i => i.FunctionName == "on-order");
        var messageId = producer.Response!["messageId"]!.GetValue<string>();

        Assert.False(producer.Failed, producer.Error?.ErrorMessage);
        Assert.False(string.IsNullOrEmpty(producer.Response!["requestId"]?.GetValue<string>()));
        var sns = consumer.Event!["Records"]![0]!["Sns"]!;
        Assert.Equal(messageId, sns["MessageId"]!.GetValue<string>());
        Assert.Equal("u-0001", sns["MessageAttributes"]!["userId"]!["Value"]!.GetValue<string>());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", sns["MessageAttributes"]!["traceparent"]!["Value"]!.GetValue<string>());

        var transaction = await _traced.TransactionOfAsync(producer, hops: 1);
        var call = Assert.Single(transaction.SpansNamed("SNS.Publish"));
        Assert.Equal(("SNS", "Publish", "orders"), (call.Attribute("rpc.service"), call.Attribute("rpc.method"), call.Attribute("threadline.resource")));
        Assert.Equal([$"sns:msg:{messageId}"], call.StringArray("threadline.outbound.keys"));
        Assert.Equal([("publisher", "on-order", "async", "sns", (string?)"orders", "sns.messageId")], transaction.HopsByFunction());
    }

    [Fact]
    public async Task Kinesis_put_record_and_put_records_record_each_sequence_number_and_link_the_stream_consumer()
    {
        Sandbox.Kinesis.CreateStream("clicks");
        Sandbox.Functions.Deploy(new FunctionDefinition("on-clicks", (_, _) => Task.FromResult<JsonNode?>(null)));
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.KinesisStream("clicks"), "on-clicks")
        {
            BatchSize = 10,
            MaximumBatchingWindow = TimeSpan.FromSeconds(1),
        });
        Sandbox.Functions.Deploy(new FunctionDefinition("clicker", () =>
        {
            var kinesis = _traced.Clients.Kinesis();
            return async (_, _) =>
            {
                var one = await kinesis.PutRecordAsync(new PutRecordRequest { StreamName = "clicks", PartitionKey = "u-1", Data = Bytes("a") });
                var many = await kinesis.PutRecordsAsync(new PutRecordsRequest
                {
                    StreamName = "clicks",
                    Records = [new() { PartitionKey = "u-2", Data = Bytes("b") }, new() { PartitionKey = "u-3", Data = Bytes("c") }],
                });
                return new JsonArray([.. new[] { (one.ShardId, one.SequenceNumber) }.Concat(many.Records.Select(r => (r.ShardId, r.SequenceNumber)))
                    .Select(r => (JsonNode)$"{r.ShardId}/{r.SequenceNumber}")]);
            };
        }));

        var producer = await Sandbox.Functions.InvokeAsync("clicker", new JsonObject());
        var delivered = await Sandbox.Functions.Invocations.WaitUntilAsync(
            all => all.Where(i => i.FunctionName == "on-clicks").Sum(i => i.Event!["Records"]!.AsArray().Count) == 3,
            ThreadlineUnderTest.Deadline, TestContext.Current.CancellationToken);
        var consumers = delivered.Where(i => i.FunctionName == "on-clicks").ToList();

        Assert.False(producer.Failed, producer.Error?.ErrorMessage);
        var records = producer.Response!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.Equal(
            records.Select(r => r.Split('/')[1]),
            consumers.SelectMany(c => c.Event!["Records"]!.AsArray()).Select(r => r!["kinesis"]!["sequenceNumber"]!.GetValue<string>()));

        var transaction = await _traced.TransactionOfAsync(producer, hops: consumers.Count);
        var put = Assert.Single(transaction.SpansNamed("Kinesis.PutRecord"));
        Assert.Equal([$"kinesis:rec:clicks/{records[0]}"], put.StringArray("threadline.outbound.keys"));
        var putMany = Assert.Single(transaction.SpansNamed("Kinesis.PutRecords"));
        Assert.Equal([$"kinesis:rec:clicks/{records[1]}", $"kinesis:rec:clicks/{records[2]}"], putMany.StringArray("threadline.outbound.keys"));
        Assert.All(transaction.HopsByFunction(), hop => Assert.Equal(("clicker", "on-clicks", "async", "kinesis", (string?)"clicks", "kinesis.sequenceNumber"), hop));
        Assert.Equal(consumers.Count, transaction.HopsByFunction().Count);
    }

    [Fact]
    public async Task EventBridge_put_events_records_the_event_id_and_links_the_rule_target()
    {
        Sandbox.Functions.Deploy(new FunctionDefinition("on-signup", (_, _) => Task.FromResult<JsonNode?>(null)));
        Sandbox.EventBridge.PutRule("signups", eventPattern: """{"source":["shop"],"detail-type":["signup"]}""");
        Sandbox.EventBridge.PutTarget("signups", "fn", Sandbox.Arns.Function("on-signup"));
        Sandbox.Functions.Deploy(new FunctionDefinition("signup", () =>
        {
            var events = _traced.Clients.EventBridge();
            return async (_, _) =>
            {
                var put = await events.PutEventsAsync(new PutEventsRequest
                {
                    Entries = [new() { Source = "shop", DetailType = "signup", Detail = """{"userId":"u-7"}""" }],
                });
                return new JsonObject { ["eventId"] = put.Entries[0].EventId, ["failed"] = put.FailedEntryCount };
            };
        }));

        var producer = await Sandbox.Functions.InvokeAsync("signup", new JsonObject());
        var consumer = await _traced.WaitForInvocationAsync(i => i.FunctionName == "on-signup");
        var eventId = producer.Response!["eventId"]!.GetValue<string>();

        Assert.False(producer.Failed, producer.Error?.ErrorMessage);
        Assert.Equal(0, producer.Response!["failed"]!.GetValue<int>());
        Assert.Equal(eventId, consumer.Event!["id"]!.GetValue<string>());
        Assert.Equal("u-7", consumer.Event!["detail"]!["userId"]!.GetValue<string>());

        var transaction = await _traced.TransactionOfAsync(producer, hops: 1);
        var call = Assert.Single(transaction.SpansNamed("EventBridge.PutEvents"));
        Assert.Equal([$"events:evt:{eventId}"], call.StringArray("threadline.outbound.keys"));
        Assert.Equal([("signup", "on-signup", "async", "eventbridge", (string?)"default", "eventbridge.eventId")], transaction.HopsByFunction());
    }

    [Fact]
    public async Task Lambda_invoke_records_the_callee_request_id_sync_and_event_and_links_both()
    {
        Sandbox.Functions.Deploy(new FunctionDefinition("callee", (input, _) => Task.FromResult<JsonNode?>(new JsonObject { ["echo"] = input?.DeepClone() })));
        Sandbox.Functions.Deploy(new FunctionDefinition("caller", () =>
        {
            var lambda = _traced.Clients.Lambda();
            return async (_, _) =>
            {
                var sync = await lambda.InvokeAsync(new InvokeRequest { FunctionName = "callee", Payload = """{"n":1}""" });
                var queued = await lambda.InvokeAsync(new InvokeRequest { FunctionName = "callee", InvocationType = "Event", Payload = """{"n":2}""" });
                return new JsonObject
                {
                    ["syncStatus"] = sync.StatusCode,
                    ["syncPayload"] = Encoding.UTF8.GetString(sync.Payload!.ToArray()),
                    ["syncRequestId"] = sync.ResponseMetadata.RequestId,
                    ["eventStatus"] = queued.StatusCode,
                    ["eventRequestId"] = queued.ResponseMetadata.RequestId,
                };
            };
        }));

        var producer = await Sandbox.Functions.InvokeAsync("caller", new JsonObject());
        Assert.False(producer.Failed, producer.Error?.ErrorMessage);
        var response = producer.Response!;
        var syncId = response["syncRequestId"]!.GetValue<string>();
        var eventId = response["eventRequestId"]!.GetValue<string>();
        await _traced.WaitForInvocationAsync(i => i.RequestId == eventId);

        Assert.Equal(200, response["syncStatus"]!.GetValue<int>());
        Assert.Equal("""{"echo":{"n":1}}""", response["syncPayload"]!.GetValue<string>());
        Assert.Equal(202, response["eventStatus"]!.GetValue<int>());

        var transaction = await _traced.TransactionOfAsync(producer, hops: 2);
        var calls = transaction.SpansNamed("Lambda.Invoke");
        Assert.Equal([[$"lambda:req:{syncId}"], [$"lambda:req:{eventId}"]], calls.Select(c => c.StringArray("threadline.outbound.keys")));
        var invocations = transaction.InvocationsById();
        var hops = transaction.Items("hops").ToDictionary(h => invocations[h.Str("to")].Str("requestId"));
        Assert.Equal(("sync", "lambda", "callee", "lambda.requestId"), (hops[syncId].Str("kind"), hops[syncId].Str("service"), hops[syncId].Str("resource"), hops[syncId].Str("via")));
        Assert.Equal(("async", "lambda", "callee", "lambda.requestId"), (hops[eventId].Str("kind"), hops[eventId].Str("service"), hops[eventId].Str("resource"), hops[eventId].Str("via")));
    }

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
