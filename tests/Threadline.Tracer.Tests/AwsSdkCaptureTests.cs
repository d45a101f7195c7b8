using System.Diagnostics;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

/// <summary>The real AWS SDK clients against a local endpoint that answers like AWS.</summary>
public sealed class AwsSdkCaptureTests : IAsyncLifetime
{
    private readonly TracerHarness _harness = TracerHarness.Create();
    private FakeAws _aws = null!;

    public async ValueTask InitializeAsync() => _aws = await FakeAws.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _harness.Dispose();
        await _aws.DisposeAsync();
    }

    /// <summary>Runs the calls in one invocation and checks that no tracer hook failed silently on the way.</summary>
    private async Task<string> Run(Func<Task> calls)
    {
        var faults = Threadline.Tracer.Diagnostics.Guard.Faults;
        var result = await _harness.Tracer.InvokeAsync(new { orderId = "o-1" }, new FakeLambdaContext(), async (_, _) =>
        {
            await calls();
            return "done";
        });
        Assert.Equal(faults, Threadline.Tracer.Diagnostics.Guard.Faults);
        return result;
    }

    private Activity Call(string method) => _harness.Children.Single(a => a.Str("rpc.method") == method);

    [Fact]
    public async Task Sqs_send_message_records_the_message_id_as_producer_span_under_the_invocation()
    {
        using var sqs = _aws.Sqs();

        await Run(() => sqs.SendMessageAsync(_aws.QueueUrl("orders"), """{"orderId":"o-1"}"""));

        var span = Call("SendMessage");
        Assert.Equal(ActivityKind.Producer, span.Kind);
        Assert.Equal("aws-api", span.Str("rpc.system"));
        Assert.Equal("SQS", span.Str("rpc.service"));
        Assert.Equal("orders", span.Str("threadline.resource"));
        Assert.Equal(["sqs:msg:" + Assert.Single(_aws.MessageIds)], span.Strings("threadline.outbound.keys"));
        Assert.Equal(_aws.RequestIds.Single(), span.Str("aws.request_id"));
        Assert.Equal(_harness.Invocation.SpanId, span.ParentSpanId);
        Assert.Equal(_harness.Invocation.TraceId, span.TraceId);
        Assert.Contains("o-1", span.Str("threadline.request"));
    }

    [Fact]
    public async Task Sqs_send_message_batch_records_every_entry()
    {
        using var sqs = _aws.Sqs();
        var entries = Enumerable.Range(1, 3).Select(i => new SendMessageBatchRequestEntry($"e{i}", $"{{\"n\":{i}}}")).ToList();

        await Run(() => sqs.SendMessageBatchAsync(_aws.QueueUrl("orders"), entries));

        var span = Call("SendMessageBatch");
        Assert.Equal(_aws.MessageIds.Select(id => "sqs:msg:" + id).ToArray(), span.Strings("threadline.outbound.keys"));
        Assert.Equal(3, span.Strings("threadline.outbound.keys").Length);
    }

    [Fact]
    public async Task Traceparent_is_injected_into_sqs_message_attributes_with_the_call_span()
    {
        using var sqs = _aws.Sqs();

        await Run(() => sqs.SendMessageAsync(_aws.QueueUrl("orders"), "hello"));

        var span = Call("SendMessage");
        var sent = FakeAws.Json(_aws.Server.Requests.Single());
        var traceparent = sent.GetProperty("MessageAttributes").GetProperty("traceparent").GetProperty("StringValue").GetString();
        Assert.Equal($"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-01", traceparent);
        Assert.Equal("traceparent", span.Str("threadline.inband"));
    }

    [Fact]
    public async Task Traceparent_is_not_injected_when_the_message_already_has_ten_attributes()
    {
        using var sqs = _aws.Sqs();
        var request = new SendMessageRequest(_aws.QueueUrl("orders"), "hello")
        {
            MessageAttributes = Enumerable.Range(0, 10).ToDictionary(i => $"a{i}", i => new MessageAttributeValue { DataType = "String", StringValue = "v" }),
        };

        await Run(() => sqs.SendMessageAsync(request));

        var sent = FakeAws.Json(_aws.Server.Requests.Single());
        Assert.Equal(10, sent.GetProperty("MessageAttributes").EnumerateObject().Count());
        Assert.Null(Call("SendMessage").Str("threadline.inband"));
    }

    [Fact]
    public async Task Traceparent_is_not_injected_when_it_would_cross_the_message_size_limit()
    {
        using var sqs = _aws.Sqs();
        var body = new string('x', 256 * 1024 - 20);

        await Run(() => sqs.SendMessageAsync(_aws.QueueUrl("orders"), body));

        Assert.False(FakeAws.Json(_aws.Server.Requests.Single()).TryGetProperty("MessageAttributes", out _));
    }

    [Fact]
    public async Task Injection_can_be_switched_off()
    {
        using var harness = TracerHarness.Create(o => o.InjectTraceContext = false);
        using var sqs = _aws.Sqs();

        await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) => await sqs.SendMessageAsync(_aws.QueueUrl("orders"), "hello"));

        Assert.False(FakeAws.Json(_aws.Server.Requests.Single()).TryGetProperty("MessageAttributes", out _));
    }

    [Fact]
    public async Task Failed_sqs_call_is_an_error_span_and_the_handler_sees_the_sdk_exception()
    {
        using var sqs = _aws.Sqs();
        _aws.SqsError = "QueueDoesNotExist";

        var thrown = await Assert.ThrowsAsync<QueueDoesNotExistException>(() => Run(() => sqs.SendMessageAsync(_aws.QueueUrl("gone"), "hello")));

        var span = Call("SendMessage");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(_aws.RequestIds.Single(), span.Str("aws.request_id"));
        Assert.Contains(span.Events, e => e.Name == "exception");
        Assert.Equal(ActivityStatusCode.Error, _harness.Invocation.Status);
        Assert.Equal(thrown.GetType().FullName, _harness.Invocation.Events.Single().Tags.First(t => t.Key == "exception.type").Value);
    }

    [Fact]
    public async Task DynamoDb_put_item_records_hashed_pairs_of_every_scalar_attribute()
    {
        using var dynamo = _aws.DynamoDb();
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = "order#o-1" },
            ["sk"] = new() { N = "1.50" },
            ["tags"] = new() { SS = ["a", "b"] },
        };

        await Run(() => dynamo.PutItemAsync("Orders", item));

        var span = Call("PutItem");
        Assert.Equal("DynamoDB", span.Str("rpc.service"));
        Assert.Equal("Orders", span.Str("threadline.resource"));
        Assert.Equal(["pk=40a25e5d2f51aa73&sk=223b112209fc3885"], span.Strings("threadline.dynamodb.pairs"));
        Assert.Equal(["Orders"], span.Strings("threadline.dynamodb.tables"));
    }

    [Fact]
    public async Task DynamoDb_key_is_hashed_before_it_is_scrubbed_from_the_payload()
    {
        using var dynamo = _aws.DynamoDb();
        var key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "order#o-2" }, ["sk"] = new() { N = "2" } };

        await Run(() => dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "Orders",
            Key = key,
            UpdateExpression = "SET #s = :s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "PAID" } },
        }));

        var span = Call("UpdateItem");
        Assert.Equal(["pk=c31ced6bc6ce72c0&sk=156b30f115cdbdce"], span.Strings("threadline.dynamodb.pairs"));
        Assert.Contains("\"Key\":\"[scrubbed]\"", span.Str("threadline.request"));
        Assert.DoesNotContain("order#o-2", span.Str("threadline.request"));
    }

    [Fact]
    public async Task DynamoDb_batch_and_transaction_writes_record_every_entry_in_order()
    {
        using var dynamo = _aws.DynamoDb();
        static Dictionary<string, AttributeValue> Item(string pk) => new() { ["pk"] = new() { S = pk } };

        await Run(async () =>
        {
            await dynamo.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
            {
                ["Orders"] = [new(new PutRequest(Item("order#o-1"))), new(new DeleteRequest(Item("order#o-2")))],
                ["Customers"] = [new(new PutRequest(Item("c-1")))],
            });
            await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new() { Put = new Put { TableName = "Orders", Item = Item("order#o-3") } },
                    new() { ConditionCheck = new ConditionCheck { TableName = "Customers", Key = Item("c-1"), ConditionExpression = "attribute_exists(pk)" } },
                    new() { Delete = new Amazon.DynamoDBv2.Model.Delete { TableName = "Customers", Key = Item("u-7") } },
                ],
            });
        });

        var batch = Call("BatchWriteItem");
        Assert.Equal(["pk=40a25e5d2f51aa73", "pk=c31ced6bc6ce72c0", "pk=d3fe21f632cc65c3"], batch.Strings("threadline.dynamodb.pairs"));
        Assert.Equal(["Orders", "Orders", "Customers"], batch.Strings("threadline.dynamodb.tables"));
        var transaction = Call("TransactWriteItems");
        Assert.Equal(["pk=060a8a04bf8e359a", "pk=7f2e43e063e2bcce"], transaction.Strings("threadline.dynamodb.pairs"));
        Assert.Equal(["Orders", "Customers"], transaction.Strings("threadline.dynamodb.tables"));
    }

    [Fact]
    public async Task S3_put_object_records_request_id_and_object_key_with_unquoted_etag()
    {
        using var s3 = _aws.S3();

        await Run(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = "invoices-bucket", Key = "2026/11/invoice-8.pdf", ContentBody = "a" }));

        var span = Call("PutObject");
        var requestId = _aws.RequestIds.Single();
        Assert.Equal("S3", span.Str("rpc.service"));
        Assert.Equal("invoices-bucket", span.Str("threadline.resource"));
        Assert.Equal(
            ["s3:req:" + requestId, "s3:obj:invoices-bucket/2026/11/invoice-8.pdf/" + _aws.ETags.Single()],
            span.Strings("threadline.outbound.keys"));
        Assert.Equal(requestId, span.Str("aws.request_id"));
        Assert.Contains("ETag", span.Str("threadline.response"));
    }

    [Fact]
    public async Task The_sdk_own_http_requests_are_not_recorded_twice()
    {
        using var sqs = _aws.Sqs();
        using var s3 = _aws.S3();

        await Run(async () =>
        {
            await sqs.SendMessageAsync(_aws.QueueUrl("orders"), "hello");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "bucket-b", Key = "k", ContentBody = "a" });
        });

        Assert.Equal(2, _aws.Server.Requests.Count);
        Assert.Equal(["SQS.SendMessage", "S3.PutObject"], _harness.Children.Select(a => a.DisplayName).ToArray());
    }

    [Fact]
    public async Task Each_function_in_the_process_records_only_its_own_calls()
    {
        using var other = TracerHarness.Create(o => o.FunctionName = "other-fn");
        using var sqs = _aws.Sqs();

        await Run(() => sqs.SendMessageAsync(_aws.QueueUrl("orders"), "from the first"));
        await other.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) => await sqs.SendMessageAsync(_aws.QueueUrl("orders"), "from the other"));

        var ids = _aws.MessageIds.ToArray();
        Assert.Equal(["sqs:msg:" + ids[0]], Assert.Single(_harness.Children).Strings("threadline.outbound.keys"));
        var otherCall = Assert.Single(other.Children);
        Assert.Equal(["sqs:msg:" + ids[1]], otherCall.Strings("threadline.outbound.keys"));
        Assert.Equal(other.Invocation.SpanId, otherCall.ParentSpanId);
    }

    [Fact]
    public async Task Concurrent_invocations_keep_their_calls_apart()
    {
        using var sqs = _aws.Sqs();
        var contexts = Enumerable.Range(0, 8).Select(i => new FakeLambdaContext { AwsRequestId = $"req-{i}" }).ToList();

        await Task.WhenAll(contexts.Select(context => _harness.Tracer.InvokeAsync("{}", context, async (_, c) =>
        {
            await Task.Yield();
            await sqs.SendMessageAsync(_aws.QueueUrl("orders"), c.AwsRequestId);
            return 0;
        })));

        var invocations = _harness.Spans.Items.Where(a => a.GetTagItem("faas.invocation_id") is not null).ToDictionary(a => a.SpanId);
        Assert.Equal(8, invocations.Count);
        foreach (var call in _harness.Children)
        {
            var parent = invocations[call.ParentSpanId];
            Assert.Contains(parent.Str("faas.invocation_id")!, call.Str("threadline.request"));
        }
        Assert.Equal(8, _harness.Children.Count());
    }

    [Fact]
    public async Task Calls_outside_an_invocation_are_not_recorded()
    {
        using var sqs = _aws.Sqs();

        await sqs.SendMessageAsync(_aws.QueueUrl("orders"), "hello", TestContext.Current.CancellationToken);
        await Run(() => Task.CompletedTask);

        Assert.Empty(_harness.Children);
    }
}
