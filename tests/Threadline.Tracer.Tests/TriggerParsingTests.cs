using System.Diagnostics;
using System.Text;
using Threadline.Tracer.Tests.Support;
using Threadline.Tracer.Triggers;

namespace Threadline.Tracer.Tests;

public sealed class TriggerParsingTests
{
    private static TriggerInfo Parse(string sample, string? requestId = "req-1") =>
        TriggerParser.Parse(Encoding.UTF8.GetBytes(Samples.Read(sample)), requestId);

    [Fact]
    public void Api_gateway_rest_event_gives_route_request_key_and_links()
    {
        var trigger = Parse("apigateway-rest");

        Assert.Equal("apigateway", trigger.Kind);
        Assert.Equal("http", trigger.FaasTrigger);
        Assert.Equal(ActivityKind.Server, trigger.SpanKind);
        Assert.Equal("GET /orders/{id}", trigger.Resource);
        Assert.Equal(["apigw:req:c6af9ac6-7b61-11e6-9a41-93e8deadbeef"], trigger.Keys);
        var link = Assert.Single(trigger.Links);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", link.Context.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", link.Context.SpanId.ToHexString());
    }

    [Fact]
    public void Http_api_event_is_apigatewayv2_with_route_key()
    {
        var trigger = Parse("apigateway-http");

        Assert.Equal("apigatewayv2", trigger.Kind);
        Assert.Equal("POST /orders", trigger.Resource);
        Assert.Equal(["apigw:req:JKJaXmPLvHcESHA="], trigger.Keys);
    }

    [Fact]
    public void Function_url_event_is_recognised_by_its_domain()
    {
        var trigger = Parse("function-url");

        Assert.Equal("function-url", trigger.Kind);
        Assert.Equal("http", trigger.FaasTrigger);
        Assert.Equal("a1b2c3d4e5f6.lambda-url.eu-west-1.on.aws", trigger.Resource);
        Assert.Equal(["apigw:req:6a1c07d5-1bd4-4c4a-9c7e-6bd9f0a1e111"], trigger.Keys);
    }

    [Fact]
    public void Sqs_batch_gives_every_message_key_and_the_sns_and_eventbridge_envelope_keys()
    {
        var trigger = Parse("sqs-batch");

        Assert.Equal("sqs", trigger.Kind);
        Assert.Equal("pubsub", trigger.FaasTrigger);
        Assert.Equal(ActivityKind.Consumer, trigger.SpanKind);
        Assert.Equal("orders-queue", trigger.Resource);
        Assert.Equal(
        [
            "sqs:msg:059f36b4-87a3-44ab-83d2-661975830a7d",
            "sqs:msg:2e1424d4-f796-459a-8184-9c92662be6da",
            "sns:msg:95df01b4-ee98-5cb9-9903-4c221d41eb5e",
            "sqs:msg:a1e5b5c8-0e44-4d29-9f0a-7a6fd3f7e001",
            "events:evt:6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        ], trigger.Keys);
        Assert.True(trigger.Retry);
    }

    [Fact]
    public void Sqs_record_links_its_traceparent_xray_header_and_envelope_traceparent()
    {
        var trigger = Parse("sqs-batch");

        var vias = trigger.Links.Select(l => (string)l.Tags!.First(t => t.Key == "threadline.link.via").Value!).ToList();
        Assert.Equal(["traceparent", "xray", "traceparent"], vias);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", trigger.Links[0].Context.TraceId.ToHexString());
        Assert.Equal("5759e988bd862e3fe1be46a994272793", trigger.Links[1].Context.TraceId.ToHexString());
        Assert.Equal("53995c3f42cd8ad8", trigger.Links[1].Context.SpanId.ToHexString());
        Assert.Equal("5bf92f3577b34da6a3ce929d0e0e4736", trigger.Links[2].Context.TraceId.ToHexString());
        Assert.Contains(trigger.Links[0].Tags!, t => t.Key == "messaging.message.id" && (string?)t.Value == "059f36b4-87a3-44ab-83d2-661975830a7d");
    }

    [Fact]
    public void Single_fresh_sqs_message_is_not_a_retry()
    {
        var json = """{"Records":[{"messageId":"m-1","body":"plain text","attributes":{"ApproximateReceiveCount":"1"},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:1:q"}]}""";

        var trigger = TriggerParser.Parse(Encoding.UTF8.GetBytes(json), null);

        Assert.False(trigger.Retry);
        Assert.Equal(["sqs:msg:m-1"], trigger.Keys);
    }

    [Fact]
    public void Sns_batch_gives_every_message_key()
    {
        var trigger = Parse("sns");

        Assert.Equal("sns", trigger.Kind);
        Assert.Equal("order-events", trigger.Resource);
        Assert.Equal(["sns:msg:95df01b4-ee98-5cb9-9903-4c221d41eb5e", "sns:msg:c9b5d0b2-3a3e-5f53-9d48-0d6c9e5e7a11"], trigger.Keys);
        Assert.Equal("6bf92f3577b34da6a3ce929d0e0e4736", Assert.Single(trigger.Links).Context.TraceId.ToHexString());
    }

    [Fact]
    public void EventBridge_event_gives_its_id()
    {
        var trigger = Parse("eventbridge");

        Assert.Equal("eventbridge", trigger.Kind);
        Assert.Equal("com.example.orders", trigger.Resource);
        Assert.Equal(["events:evt:6a7e8feb-b491-4cf7-a9f1-bf3703467718"], trigger.Keys);
    }

    [Fact]
    public void Scheduled_event_is_a_timer_named_by_its_rule()
    {
        var trigger = Parse("schedule");

        Assert.Equal("schedule", trigger.Kind);
        Assert.Equal("timer", trigger.FaasTrigger);
        Assert.Equal("nightly-report", trigger.Resource);
        Assert.Equal(["events:evt:53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa"], trigger.Keys);
    }

    [Fact]
    public void Kinesis_batch_gives_stream_shard_and_sequence_of_every_record()
    {
        var trigger = Parse("kinesis-batch");

        Assert.Equal("kinesis", trigger.Kind);
        Assert.Equal("clicks", trigger.Resource);
        Assert.Equal(
        [
            "kinesis:rec:clicks/shardId-000000000006/49590338271490256608559692538361571095921575989136588898",
            "kinesis:rec:clicks/shardId-000000000007/49590338271490256608559692540925702759324208523137515618",
        ], trigger.Keys);
    }

    [Fact]
    public void DynamoDb_stream_batch_gives_hashed_keys_with_times()
    {
        var trigger = Parse("dynamodb-batch");

        Assert.Equal("dynamodb", trigger.Kind);
        Assert.Equal("datasource", trigger.FaasTrigger);
        Assert.Equal("Orders", trigger.Resource);
        // SHA-256 prefixes computed independently; "1.50" is canonicalised to "1.5".
        Assert.Equal(
        [
            "dynamodb:item:Orders/pk=40a25e5d2f51aa73&sk=223b112209fc3885",
            "dynamodb:item:Orders/pk=c31ced6bc6ce72c0&sk=156b30f115cdbdce",
            "dynamodb:item:Orders/pk=060a8a04bf8e359a&sk=740e3633b9387a6e",
        ], trigger.Keys);
        Assert.Equal([1764129600000L, 1764129601500L, 1764129602000L], trigger.Times);
    }

    [Fact]
    public void S3_batch_gives_request_ids_and_url_decoded_object_keys()
    {
        var trigger = Parse("s3-batch");

        Assert.Equal("s3", trigger.Kind);
        Assert.Equal("invoices-bucket", trigger.Resource);
        Assert.Equal(
        [
            "s3:req:C3D13FE58DE4C810",
            "s3:obj:invoices-bucket/2026/11/invoice no 7+1.pdf/d41d8cd98f00b204e9800998ecf8427e",
            "s3:req:D4E24GF69EF5D921",
            "s3:obj:invoices-bucket/2026/11/invoice-8.pdf/0cc175b9c0f1b6a831c399e269772661",
        ], trigger.Keys);
    }

    [Fact]
    public void Anything_else_is_a_direct_invoke_keyed_by_the_request_id()
    {
        var trigger = Parse("invoke", requestId: "9f1c");

        Assert.Equal("invoke", trigger.Kind);
        Assert.Equal("other", trigger.FaasTrigger);
        Assert.Equal(["lambda:req:9f1c"], trigger.Keys);
    }

    [Fact]
    public void PascalCase_typed_event_serialisation_is_read_too()
    {
        var json = """{"Records":[{"MessageId":"m-9","EventSource":"aws:sqs","EventSourceArn":"arn:aws:sqs:us-east-1:1:jobs","Body":"x"}]}""";

        var trigger = TriggerParser.Parse(Encoding.UTF8.GetBytes(json), null);

        Assert.Equal("sqs", trigger.Kind);
        Assert.Equal("jobs", trigger.Resource);
        Assert.Equal(["sqs:msg:m-9"], trigger.Keys);
    }
}
