using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;

namespace Threadline.Sandbox.Tests;

public sealed class SqsTests
{
    [Fact]
    public async Task SendReceiveDeleteRoundTripsBodyAttributesAndIds()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var sqs = AwsClients.Sqs(sandbox);
        var url = (await sqs.CreateQueueAsync("orders", TestContext.Current.CancellationToken)).QueueUrl;
        Assert.Equal(url, (await sqs.GetQueueUrlAsync("orders", TestContext.Current.CancellationToken)).QueueUrl);

        // The SDK checks MD5OfMessageBody and MD5OfMessageAttributes of both responses.
        var sent = await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "{\"orderId\":42}",
            MessageAttributes = new() { ["traceparent"] = new() { DataType = "String", StringValue = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } },
        }, TestContext.Current.CancellationToken);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url,
            MaxNumberOfMessages = 10,
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        }, TestContext.Current.CancellationToken);

        var message = Assert.Single(received.Messages);
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.Equal("{\"orderId\":42}", message.Body);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", message.MessageAttributes["traceparent"].StringValue);
        Assert.Equal("1", message.Attributes["ApproximateReceiveCount"]);
        await sqs.DeleteMessageAsync(url, message.ReceiptHandle, TestContext.Current.CancellationToken);
        await sqs.SendMessageBatchAsync(url, [new("x", "one"), new("y", "two")], TestContext.Current.CancellationToken);
        var both = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10 }, TestContext.Current.CancellationToken);
        var deleted = await sqs.DeleteMessageBatchAsync(url, [.. both.Messages.Select(m => new DeleteMessageBatchRequestEntry(m.Body, m.ReceiptHandle))], TestContext.Current.CancellationToken);
        Assert.Equal(["one", "two"], deleted.Successful.Select(s => s.Id).Order());
        var attributes = await sqs.GetQueueAttributesAsync(url, ["All"], TestContext.Current.CancellationToken);
        Assert.Equal(0, attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible);
    }

    [Fact]
    public async Task UnknownQueueIsTheSdksQueueDoesNotExistException()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var sqs = AwsClients.Sqs(sandbox);
        await Assert.ThrowsAsync<QueueDoesNotExistException>(() => sqs.GetQueueUrlAsync("missing", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MessageComesBackAfterItsVisibilityTimeoutWithReceiveCountIncremented()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var sqs = AwsClients.Sqs(sandbox);
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "work", Attributes = new() { ["VisibilityTimeout"] = "1" } }, TestContext.Current.CancellationToken)).QueueUrl;
        var sent = await sqs.SendMessageAsync(url, "job", TestContext.Current.CancellationToken);

        var first = Assert.Single((await Receive(sqs, url, waitSeconds: 0)).Messages);
        Assert.Empty((await Receive(sqs, url, waitSeconds: 0)).Messages ?? []);
        var second = Assert.Single((await Receive(sqs, url, waitSeconds: 10)).Messages);

        Assert.Equal(sent.MessageId, first.MessageId);
        Assert.Equal(sent.MessageId, second.MessageId);
        Assert.Equal("2", second.Attributes["ApproximateReceiveCount"]);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);

        await sqs.ChangeMessageVisibilityAsync(url, second.ReceiptHandle, 0, TestContext.Current.CancellationToken);
        Assert.Equal("3", Assert.Single((await Receive(sqs, url, waitSeconds: 0)).Messages).Attributes["ApproximateReceiveCount"]);
    }

    [Fact]
    public async Task MessageReceivedMaxReceiveCountTimesMovesToTheDeadLetterQueueWithItsId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var sqs = AwsClients.Sqs(sandbox);
        var dlqUrl = (await sqs.CreateQueueAsync("work-dlq", TestContext.Current.CancellationToken)).QueueUrl;
        var dlqArn = (await sqs.GetQueueAttributesAsync(dlqUrl, ["QueueArn"], TestContext.Current.CancellationToken)).QueueARN;
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = "work",
            Attributes = new() { ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"2\"}}" },
        }, TestContext.Current.CancellationToken)).QueueUrl;
        var sent = await sqs.SendMessageAsync(url, "poison", TestContext.Current.CancellationToken);

        for (var i = 0; i < 2; i++)
        {
            var message = Assert.Single((await Receive(sqs, url, waitSeconds: 0)).Messages);
            await sqs.ChangeMessageVisibilityAsync(url, message.ReceiptHandle, 0, TestContext.Current.CancellationToken);
        }

        Assert.Empty((await Receive(sqs, url, waitSeconds: 0)).Messages ?? []);
        var dead = Assert.Single((await Receive(sqs, dlqUrl, waitSeconds: 0)).Messages);
        Assert.Equal(sent.MessageId, dead.MessageId);
        Assert.Equal("poison", dead.Body);
    }

    [Fact]
    public async Task MappingDeliversBatchRecordsWithTheSentIdsAndRedeliversReportedFailures()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var sqs = AwsClients.Sqs(sandbox);
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "payments-queue", Attributes = new() { ["VisibilityTimeout"] = "1" } }, TestContext.Current.CancellationToken)).QueueUrl;
        var failedOnce = new HashSet<string>();
        sandbox.Functions.Deploy(new FunctionDefinition("notify", (input, _) =>
        {
            // Fails the record whose body is "bad" the first time it is seen, reporting it as a batch item failure.
            var failures = new JsonArray();
            foreach (var record in input!["Records"]!.AsArray())
            {
                if (record!["body"]!.GetValue<string>() == "bad" && failedOnce.Add(record["messageId"]!.GetValue<string>()))
                {
                    failures.Add(new JsonObject { ["itemIdentifier"] = record["messageId"]!.GetValue<string>() });
                }
            }

            return Task.FromResult<JsonNode?>(new JsonObject { ["batchItemFailures"] = failures });
        }));
        sandbox.Mappings.Add(new EventSourceMappingConfig(sandbox.Arns.Queue("payments-queue"), "notify") { ReportBatchItemFailures = true, MaximumConcurrency = 1 });

        var batch = await sqs.SendMessageBatchAsync(url, [new("a", "good"), new("b", "bad"), new("c", "fine")], TestContext.Current.CancellationToken);

        var ids = batch.Successful.ToDictionary(s => s.Id, s => s.MessageId);
        var records = await sandbox.WaitForRecordsAsync(r => r.Count(x => x["messageId"]!.GetValue<string>() == ids["b"]) == 2 && r.Count >= 4);
        Assert.Equal(ids.Values.Order(), records.Select(r => r["messageId"]!.GetValue<string>()).Distinct().Order());
        var retried = records.Where(r => r["messageId"]!.GetValue<string>() == ids["b"]).ToList();
        Assert.Equal(["1", "2"], retried.Select(r => r["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal("aws:sqs", r["eventSource"]!.GetValue<string>()));
        Assert.All(records, r => Assert.Equal(sandbox.Arns.Queue("payments-queue"), r["eventSourceARN"]!.GetValue<string>()));
        Assert.Equal(4, records.Count);
    }

    [Fact]
    public async Task BatchingWindowGathersMessagesUntilItEnds()
    {
        var clock = new ManualClock();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { TimeProvider = clock });
        using var sqs = AwsClients.Sqs(sandbox);
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "q", Attributes = new() { ["VisibilityTimeout"] = "43200" } }, TestContext.Current.CancellationToken)).QueueUrl;
        sandbox.Functions.Deploy(new FunctionDefinition("f", (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.Mappings.Add(new EventSourceMappingConfig(sandbox.Arns.Queue("q"), "f") { MaximumBatchingWindow = TimeSpan.FromHours(1), MaximumConcurrency = 1 });

        foreach (var body in new[] { "a", "b", "c" })
        {
            await sqs.SendMessageAsync(url, body, TestContext.Current.CancellationToken);
        }

        clock.Advance(TimeSpan.FromHours(2));
        var invocation = await sandbox.Functions.Invocations.WaitForAsync(_ => true, TestSandbox.Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b", "c"], invocation.Event!["Records"]!.AsArray().Select(r => r!["body"]!.GetValue<string>()));
        Assert.Single(sandbox.Functions.Invocations.Snapshot());
    }

    [Fact]
    public async Task BatchItemFailureNamingNoMessageOfTheBatchFailsTheWholeBatch()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var sqs = AwsClients.Sqs(sandbox);
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "q", Attributes = new() { ["VisibilityTimeout"] = "1" } }, TestContext.Current.CancellationToken)).QueueUrl;
        var calls = 0;
        sandbox.Functions.Deploy(new FunctionDefinition("f", (_, _) => Task.FromResult<JsonNode?>(++calls == 1
            ? new JsonObject { ["batchItemFailures"] = new JsonArray(new JsonObject { ["itemIdentifier"] = "not-a-message-of-this-batch" }) }
            : new JsonObject { ["batchItemFailures"] = new JsonArray() })));
        sandbox.Mappings.Add(new EventSourceMappingConfig(sandbox.Arns.Queue("q"), "f") { ReportBatchItemFailures = true, MaximumConcurrency = 1 });

        var sent = await sqs.SendMessageAsync(url, "m", TestContext.Current.CancellationToken);
        var records = await sandbox.WaitForRecordsAsync(r => r.Count >= 2);

        Assert.All(records, r => Assert.Equal(sent.MessageId, r["messageId"]!.GetValue<string>()));
        Assert.Equal(["1", "2"], records.Select(r => r["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>()));
    }

    [Fact]
    public async Task MessageAFunctionKeepsFailingIsRedeliveredThenMovedToTheDeadLetterQueue()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var sqs = AwsClients.Sqs(sandbox);
        var ct = TestContext.Current.CancellationToken;
        var dlqUrl = (await sqs.CreateQueueAsync("notify-dlq", ct)).QueueUrl;
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = "notify-queue",
            Attributes = new()
            {
                ["VisibilityTimeout"] = "1",
                ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{sandbox.Arns.Queue("notify-dlq")}\",\"maxReceiveCount\":2}}",
            },
        }, ct)).QueueUrl;
        sandbox.Functions.Deploy(new FunctionDefinition("notify", (_, _) => throw new InvalidOperationException("template rejected")));
        sandbox.Mappings.Add(new EventSourceMappingConfig(sandbox.Arns.Queue("notify-queue"), "notify") { MaximumConcurrency = 1 });

        var sent = await sqs.SendMessageAsync(url, "mail", ct);
        var dead = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = dlqUrl, WaitTimeSeconds = 10 }, ct);

        Assert.Equal(sent.MessageId, Assert.Single(dead.Messages).MessageId);
        var attempts = sandbox.Functions.Invocations.Snapshot().Records();
        Assert.Equal(["1", "2"], attempts.Select(r => r["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>()));
        Assert.All(attempts, r => Assert.Equal(sent.MessageId, r["messageId"]!.GetValue<string>()));
    }

    private static Task<ReceiveMessageResponse> Receive(AmazonSQSClient sqs, string url, int waitSeconds) =>
        sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url,
            WaitTimeSeconds = waitSeconds,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"],
        }, TestContext.Current.CancellationToken);
}
