using System.Diagnostics;
using Threadline.Tracer.Aws;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer.Tests;

/// <summary>
/// SNS, Kinesis, EventBridge and Lambda clients are not available here; the tracer reads their request and
/// response objects by property name. These stand-ins have the SDK's property names and shapes.
/// </summary>
public sealed class GenericAwsShapesTests
{
    private static readonly Func<string, string?> NoHeaders = _ => null;

    [Fact]
    public void Sns_publish_and_publish_batch_give_message_keys()
    {
        var op = new AwsOperation("SNS", "Publish", "order-events");

        Assert.Equal(["sns:msg:m-1"], OutboundKeys.Extract(op, null, new PublishResponse { MessageId = "m-1" }, NoHeaders));
        Assert.Equal(["sns:msg:b-1", "sns:msg:b-2"], OutboundKeys.Extract(op with { Operation = "PublishBatch" }, null,
            new PublishBatchResponse { Successful = [new() { MessageId = "b-1" }, new() { MessageId = "b-2" }] }, NoHeaders));
    }

    [Fact]
    public void EventBridge_put_events_gives_every_event_id_and_skips_failed_entries()
    {
        var response = new PutEventsResponse { Entries = [new() { EventId = "e-1" }, new() { ErrorCode = "Throttled" }, new() { EventId = "e-3" }] };

        Assert.Equal(["events:evt:e-1", "events:evt:e-3"], OutboundKeys.Extract(new AwsOperation("EventBridge", "PutEvents", "default"), null, response, NoHeaders));
    }

    [Fact]
    public void Kinesis_put_record_and_put_records_give_stream_shard_sequence_skipping_failures()
    {
        var op = new AwsOperation("Kinesis", "PutRecord", "clicks");

        Assert.Equal(["kinesis:rec:clicks/shardId-000000000001/495"],
            OutboundKeys.Extract(op, null, new PutRecordResponse { ShardId = "shardId-000000000001", SequenceNumber = "495" }, NoHeaders));
        var batch = new PutRecordsResponse
        {
            Records =
            [
                new() { ShardId = "shardId-000000000001", SequenceNumber = "1" },
                new() { ErrorCode = "ProvisionedThroughputExceededException" },
                new() { ShardId = "shardId-000000000002", SequenceNumber = "3" },
            ],
        };
        Assert.Equal(["kinesis:rec:clicks/shardId-000000000001/1", "kinesis:rec:clicks/shardId-000000000002/3"],
            OutboundKeys.Extract(op with { Operation = "PutRecords" }, null, batch, NoHeaders));
    }

    [Fact]
    public void Lambda_invoke_gives_the_callee_request_id_from_the_response_header()
    {
        var keys = OutboundKeys.Extract(new AwsOperation("Lambda", "Invoke", "worker"), null, new InvokeResponse(),
            name => name == "x-amzn-RequestId" ? "7f1d-callee" : null);

        Assert.Equal(["lambda:req:7f1d-callee"], keys);
    }

    [Fact]
    public void Resources_are_read_from_the_request_of_any_service()
    {
        Assert.Equal("order-events", Resource("SNS", new PublishRequest { TopicArn = "arn:aws:sns:eu-west-1:123456789012:order-events" }));
        Assert.Equal("clicks", Resource("Kinesis", new PutRecordRequest { StreamARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks" }));
        Assert.Equal("worker", Resource("Lambda", new InvokeRequest { FunctionName = "arn:aws:lambda:eu-west-1:123456789012:function:worker:live" }));
        Assert.Equal("orders-bus", Resource("EventBridge", new PutEventsRequest { Entries = [new() { EventBusName = "orders-bus" }] }));
        Assert.Equal("default", Resource("EventBridge", new PutEventsRequest { Entries = [new()] }));
    }

    [Theory]
    [InlineData("Secrets Manager", true)]
    [InlineData("SSM", true)]
    [InlineData("KMS", true)]
    [InlineData("STS", true)]
    [InlineData("SQS", false)]
    [InlineData("DynamoDB", false)]
    public void Secrets_services_never_have_their_bodies_recorded(string service, bool dropped)
    {
        Assert.Equal(dropped, new AwsOperation(service, "GetSecretValue", null).DropsBodies);
    }

    [Fact]
    public void Traceparent_goes_into_sns_publish_attributes_when_it_fits()
    {
        using var activity = new Activity("test").Start();
        var request = new PublishRequest { Message = "hello" };
        var batch = new PublishBatchRequest
        {
            PublishBatchRequestEntries =
            [
                new() { Message = "a" },
                new() { Message = "b", MessageAttributes = Enumerable.Range(0, 10).ToDictionary(i => $"k{i}", _ => new MessageAttributeValue()) },
            ],
        };

        Assert.Equal(1, TraceContextInjector.Inject(new AwsOperation("SNS", "Publish", null), request, activity));
        Assert.Equal(1, TraceContextInjector.Inject(new AwsOperation("SNS", "PublishBatch", null), batch, activity));

        var attribute = request.MessageAttributes!["traceparent"];
        Assert.Equal(("String", $"00-{activity.TraceId}-{activity.SpanId}-01"), (attribute.DataType, attribute.StringValue));
        Assert.True(batch.PublishBatchRequestEntries[0].MessageAttributes!.ContainsKey("traceparent"));
        Assert.False(batch.PublishBatchRequestEntries[1].MessageAttributes!.ContainsKey("traceparent"));
    }

    [Fact]
    public void Lambda_context_is_read_from_a_private_type_and_from_explicit_interface_implementations()
    {
        var fromPrivate = LambdaContextReader.Read(new PrivateContext());
        var fromExplicit = LambdaContextReader.Read(new ExplicitContext());

        Assert.Equal(("r-1", "private-fn", 128, TimeSpan.FromSeconds(3)), (fromPrivate.RequestId, fromPrivate.FunctionName, fromPrivate.MemoryLimitInMb, fromPrivate.RemainingTime));
        Assert.Equal(("r-2", "explicit-fn"), (fromExplicit.RequestId, fromExplicit.FunctionName));
        Assert.Same(LambdaContextInfo.Empty, LambdaContextReader.Read(null));
        Assert.Null(LambdaContextReader.Read(new object()).RequestId);
    }

    private static string? Resource(string service, object request) => AwsOperation.ResourceOf(service, request);

    public interface IContext
    {
        string AwsRequestId { get; }

        string FunctionName { get; }
    }

    private sealed class PrivateContext
    {
        public string AwsRequestId => "r-1";

        public string FunctionName => "private-fn";

        public int MemoryLimitInMB => 128;

        public TimeSpan RemainingTime => TimeSpan.FromSeconds(3);
    }

    private sealed class ExplicitContext : IContext
    {
        string IContext.AwsRequestId => "r-2";

        string IContext.FunctionName => "explicit-fn";
    }

    // Stand-ins with the property names of AWSSDK.SimpleNotificationService, Kinesis, EventBridge and Lambda.
    public sealed class MessageAttributeValue
    {
        public string? DataType { get; set; }

        public string? StringValue { get; set; }
    }

    public sealed class PublishRequest
    {
        public string? TopicArn { get; set; }

        public string? Message { get; set; }

        public Dictionary<string, MessageAttributeValue>? MessageAttributes { get; set; }
    }

    public sealed class PublishBatchRequestEntry
    {
        public string? Message { get; set; }

        public Dictionary<string, MessageAttributeValue>? MessageAttributes { get; set; }
    }

    public sealed class PublishBatchRequest
    {
        public List<PublishBatchRequestEntry> PublishBatchRequestEntries { get; set; } = [];
    }

    public sealed class PublishResponse
    {
        public string? MessageId { get; set; }
    }

    public sealed class PublishBatchResultEntry
    {
        public string? MessageId { get; set; }
    }

    public sealed class PublishBatchResponse
    {
        public List<PublishBatchResultEntry>? Successful { get; set; }
    }

    public sealed class PutEventsRequestEntry
    {
        public string? EventBusName { get; set; }
    }

    public sealed class PutEventsRequest
    {
        public List<PutEventsRequestEntry>? Entries { get; set; }
    }

    public sealed class PutEventsResultEntry
    {
        public string? EventId { get; set; }

        public string? ErrorCode { get; set; }
    }

    public sealed class PutEventsResponse
    {
        public List<PutEventsResultEntry>? Entries { get; set; }
    }

    public sealed class PutRecordRequest
    {
        public string? StreamARN { get; set; }
    }

    public sealed class PutRecordResponse
    {
        public string? ShardId { get; set; }

        public string? SequenceNumber { get; set; }
    }

    public sealed class PutRecordsResultEntry
    {
        public string? ShardId { get; set; }

        public string? SequenceNumber { get; set; }

        public string? ErrorCode { get; set; }
    }

    public sealed class PutRecordsResponse
    {
        public List<PutRecordsResultEntry>? Records { get; set; }
    }

    public sealed class InvokeRequest
    {
        public string? FunctionName { get; set; }
    }

    public sealed class InvokeResponse
    {
        public int StatusCode { get; set; } = 200;
    }
}
