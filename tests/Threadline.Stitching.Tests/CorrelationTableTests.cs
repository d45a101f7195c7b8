using Threadline.Telemetry;
using static Threadline.Stitching.Tests.Harness;

namespace Threadline.Stitching.Tests;

/// <summary>Every row of the correlation table, each asserting the exact set of hops.</summary>
public sealed class CorrelationTableTests
{
    [Fact]
    public void SqsSendMessage()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway", "POST /orders").SendMessage("orders", "m1");
        s.Lambda("c1", "orders-worker", "sqs", "orders", keys: ["sqs:msg:m1"]);

        Assert.Equal(["api -> c1 async sqs orders sqs.messageId"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void SqsSendMessageBatchLinksEveryEntryNotOnlyTheFirst()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").SendMessage("orders", "m1", "m2", "m3");
        s.Lambda("c1", "worker", "sqs", "orders", keys: ["sqs:msg:m1", "sqs:msg:m2"]);
        s.Lambda("c2", "worker", "sqs", "orders", keys: ["sqs:msg:m3"]);

        Assert.Equal(
            Sorted("api -> c1 async sqs orders sqs.messageId", "api -> c2 async sqs orders sqs.messageId"),
            Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void SnsPublishToLambda()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").Publish("order-events", "n1");
        s.Lambda("c1", "mailer", "sns", "order-events", keys: ["sns:msg:n1"]);
        s.Lambda("c2", "auditor", "sns", "order-events", keys: ["sns:msg:n1"]);

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted("api -> c1 async sns order-events sns.messageId", "api -> c2 async sns order-events sns.messageId"),
            Hops(engine, s));
        Assert.DoesNotContain(engine.FindByRequestId("c2"), i => i.Retry);
    }

    [Fact]
    public void SnsToSqsWithTheEnvelopeLinksThroughTheSnsMessageId()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").Publish("order-events", "n1");
        s.Lambda("c1", "worker", "sqs", "order-queue", keys: ["sqs:msg:q1", "sns:msg:n1"]);

        Assert.Equal(["api -> c1 async sns order-events sns.messageId"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void SnsToSqsWithRawDeliveryAndNoInBandContextIsNotLinked()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").Publish("order-events", "n1");
        s.Lambda("c1", "worker", "sqs", "order-queue", keys: ["sqs:msg:q1"]);

        var engine = Stitch(s.Spans());

        Assert.Empty(Hops(engine, s));
        Assert.Equal(Sorted("api: api", "c1: c1"), Transactions(engine, s));
    }

    [Fact]
    public void SnsToSqsWithRawDeliveryIsLinkedThroughTraceparent()
    {
        var s = new ContractSpans();
        var api = s.Lambda("api", "orders-api", "apigateway");
        var publish = api.AwsCall("SNS", "Publish", "order-events", ["sns:msg:n1"]);
        s.Lambda("c1", "worker", "sqs", "order-queue", keys: ["sqs:msg:q1"], links: [new SpanLink(publish.TraceId, publish.SpanId, null, [])]);

        Assert.Equal(["api -> c1 async sns order-events traceparent"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void EventBridgeDirectAndViaSqs()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway").PutEvents("orders-bus", "e1", "e2");
        s.Lambda("direct", "projector", "eventbridge", "orders-bus", keys: ["events:evt:e1"]);
        s.Lambda("queued", "archiver", "sqs", "archive-queue", keys: ["sqs:msg:q9", "events:evt:e2"]);

        Assert.Equal(
            Sorted("api -> direct async eventbridge orders-bus eventbridge.eventId", "api -> queued async eventbridge orders-bus eventbridge.eventId"),
            Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void KinesisPutRecordAndPutRecords()
    {
        var s = new ContractSpans();
        s.Lambda("p1", "ingest", "apigateway").PutRecords("clicks", ("shardId-000000000000", "4961"));
        s.Lambda("p2", "ingest", "apigateway").PutRecords("clicks", ("shardId-000000000000", "4962"), ("shardId-000000000001", "5001"));
        s.Lambda("c1", "aggregator", "kinesis", "clicks", keys:
        [
            "kinesis:rec:clicks/shardId-000000000000/4961",
            "kinesis:rec:clicks/shardId-000000000000/4962",
        ]);
        s.Lambda("c2", "aggregator", "kinesis", "clicks", keys: ["kinesis:rec:clicks/shardId-000000000001/5001"]);

        Assert.Equal(
            Sorted(
                "p1 -> c1 async kinesis clicks kinesis.sequenceNumber",
                "p2 -> c1 async kinesis clicks kinesis.sequenceNumber",
                "p2 -> c2 async kinesis clicks kinesis.sequenceNumber"),
            Hops(Stitch(s.Spans()), s));
    }

    [Theory]
    [InlineData("PutItem")]
    [InlineData("UpdateItem")]
    [InlineData("DeleteItem")]
    public void DynamoDbSingleItemWrites(string method)
    {
        var s = new ContractSpans();
        var pk = ContractSpans.Pair("pk", "S", "user#1");
        s.Lambda("api", "users-api", "apigateway").WriteItems(method, ("users", [pk]));
        var recordTime = s.Now / 1_000_000;
        s.Tick(200);
        s.Lambda("c1", "users-stream", "dynamodb", "users", keys: [ContractSpans.ItemKey("users", pk)], times: [recordTime]);

        Assert.Equal(["api -> c1 async dynamodb users dynamodb.key"], Hops(Stitch(s.Spans()), s));
    }

    [Theory]
    [InlineData("BatchWriteItem")]
    [InlineData("TransactWriteItems")]
    public void DynamoDbMultiItemWritesLinkEveryItemOnEveryTable(string method)
    {
        var s = new ContractSpans();
        var user = ContractSpans.Pair("pk", "S", "user#1");
        var order = ContractSpans.Pair("id", "N", "42");
        var audit = ContractSpans.Pair("pk", "S", "audit#7");
        s.Lambda("api", "orders-api", "apigateway").WriteItems(method,
            ("users", [user, ContractSpans.Pair("name", "S", "Ada")]), ("orders", [order]), ("users", [audit]));
        var recordTime = s.Now / 1_000_000;
        s.Lambda("users-1", "users-stream", "dynamodb", "users",
            keys: [ContractSpans.ItemKey("users", user), ContractSpans.ItemKey("users", audit)], times: [recordTime, recordTime]);
        s.Lambda("orders-1", "orders-stream", "dynamodb", "orders", keys: [ContractSpans.ItemKey("orders", order)], times: [recordTime]);

        Assert.Equal(
            Sorted("api -> orders-1 async dynamodb orders dynamodb.key", "api -> users-1 async dynamodb users dynamodb.key"),
            Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void S3PutObjectLinksThroughTheRequestId()
    {
        var s = new ContractSpans();
        s.Lambda("api", "uploads-api", "apigateway").PutObject("uploads", "a b/photo.jpg", "9b2cf535f27731c974343645a3985328", "REQ1");
        s.Lambda("c1", "thumbnailer", "s3", "uploads",
            keys: ["s3:req:REQ1", "s3:obj:uploads/a b/photo.jpg/9b2cf535f27731c974343645a3985328"]);

        Assert.Equal(["api -> c1 async s3 uploads s3.requestId"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void S3ObjectKeyAndETagLinkWhenTheRequestIdIsMissing()
    {
        var s = new ContractSpans();
        s.Lambda("api", "uploads-api", "apigateway").PutObject("uploads", "photo.jpg", "etag1", "REQ1");
        s.Lambda("c1", "thumbnailer", "s3", "uploads", keys: ["s3:obj:uploads/photo.jpg/etag1"]);

        Assert.Equal(["api -> c1 async s3 uploads s3.object"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void LambdaInvokeAsyncAndRequestResponse()
    {
        var s = new ContractSpans();
        s.Lambda("api", "orders-api", "apigateway")
            .Invoke("pricing", "r-sync", async: false)
            .Invoke("mailer", "r-async", async: true);
        s.Lambda("r-sync", "pricing", "invoke");
        s.Lambda("r-async", "mailer", "invoke");

        Assert.Equal(
            Sorted("api -> r-async async lambda mailer lambda.requestId", "api -> r-sync sync lambda pricing lambda.requestId"),
            Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void ApiGatewayRequestIdFromTheCallersResponse()
    {
        var s = new ContractSpans();
        var web = s.Service("web", "storefront");
        web.HttpCall("api.example.com", apiGatewayRequestId: "gw-1");
        s.Lambda("api", "orders-api", "apigateway", "POST /orders", keys: ["apigw:req:gw-1"]);

        Assert.Equal(["web -> api sync apigateway POST /orders apigateway.requestId"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void TraceparentHeaderMakesTheCalleeAChildSpan()
    {
        var s = new ContractSpans();
        var web = s.Service("web", "storefront");
        var call = web.HttpCall("api.example.com", apiGatewayRequestId: "gw-1");
        var plain = web.HttpCall("inventory.internal");
        s.Lambda("api", "orders-api", "apigateway", "POST /orders", keys: ["apigw:req:gw-1"], parent: call);
        s.Service("inventory", "inventory", SpanKind.Server, parent: plain);

        Assert.Equal(
            Sorted("web -> api sync apigateway POST /orders apigateway.requestId", "web -> inventory sync http inventory.internal parent"),
            Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void XRayAwsTraceHeaderLink()
    {
        var s = new ContractSpans { XRayTraceIds = true };
        var send = s.Service("producer", "batch-job", SpanKind.Internal).AwsCall("SQS", "SendMessage", "jobs", []);
        s.XRayTraceIds = false;
        s.Lambda("c1", "worker", "sqs", "jobs", keys: ["sqs:msg:unknown"], links: [new SpanLink(send.TraceId, send.SpanId, null, [])]);

        Assert.Equal(["producer -> c1 async sqs jobs xray"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void TheTracersLinkSaysWhichInBandContextItCameFrom()
    {
        var s = new ContractSpans();
        var publish = s.Lambda("api", "orders-api", "apigateway").AwsCall("SNS", "Publish", "order-events", ["sns:msg:n1"]);
        // Raw delivery: the SQS record carries the X-Ray header; its message id is SQS's own, which no producer knows.
        KeyValue[] via = [new("threadline.link.via", "xray"), new("messaging.message.id", "q1")];
        s.Lambda("c1", "worker", "sqs", "order-queue", keys: ["sqs:msg:q1"], links: [new SpanLink(publish.TraceId, publish.SpanId, null, via)]);

        var engine = Stitch(s.Spans());

        Assert.Equal(["api -> c1 async sns order-events xray"], Hops(engine, s));
        Assert.Equal(
            [new InboundKey("lambda:req:c1", Via.LambdaRequestId), new InboundKey("sqs:msg:q1", Via.SqsMessageId),
             new InboundKey(CorrelationKeys.ForSpan(publish.TraceId, publish.SpanId), Via.XRay)],
            engine.FindByRequestId("c1").Single().Inbound);
    }

    [Fact]
    public void OpenTelemetryMessagingLinkCarriesTheMessageId()
    {
        var s = new ContractSpans();
        var producer = s.Service("producer", "batch-job", SpanKind.Internal);
        producer.Child("jobs send", SpanKind.Producer,
        [
            new("rpc.system", "aws-api"), new("rpc.service", "SQS"), new("rpc.method", "SendMessage"),
            new("messaging.system", "aws_sqs"), new("messaging.destination.name", "jobs"), new("messaging.message.id", "m-otel"),
        ]);
        // instrumentation-aws-lambda: a CONSUMER span under the invocation span, one link per message.
        var consumer = s.Lambda("c1", "worker", "other");
        consumer.Child("jobs process", SpanKind.Consumer,
            [new("messaging.system", "aws_sqs"), new("messaging.destination.name", "jobs")],
            [new SpanLink(s.NewTraceId(), s.NewSpanId(), null, [new("messaging.message.id", "m-otel")])]);

        Assert.Equal(["producer -> c1 async sqs jobs otel.link"], Hops(Stitch(s.Spans()), s));
    }
}
