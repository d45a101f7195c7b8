using System.Text;
using System.Text.Json.Nodes;
using Threadline.Sandbox.Functions;

namespace Threadline.Sandbox.Tests;

/// <summary>The emulated APIs through the real AWS SDK for JavaScript v3 clients (<c>js/*.mjs</c>).</summary>
public sealed class JsSdkTests
{
    [Fact]
    public async Task SqsClientSendsBatchesReceivesRedeliversAndDeletes()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await NodeScript.RunAsync(sandbox, "sqs.mjs");

        Assert.True(result["sameUrl"]!.GetValue<bool>());
        var sentIds = new[] { result["sent"]!.GetValue<string>() }
            .Concat(result["batch"]!.AsArray().Select(b => b!["messageId"]!.GetValue<string>())).ToList();
        var received = result["received"]!.AsArray();
        Assert.Equal(sentIds, received.Select(r => r!["messageId"]!.GetValue<string>()));
        Assert.Equal(["hello", "one", "two"], received.Select(r => r!["body"]!.GetValue<string>()));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", received[0]!["traceparent"]!.GetValue<string>());
        var redelivered = Assert.Single(result["redelivered"]!.AsArray())!;
        Assert.Equal(sentIds[0], redelivered["messageId"]!.GetValue<string>());
        Assert.Equal("2", redelivered["count"]!.GetValue<string>());
        Assert.Equal("QueueDoesNotExist", result["missing"]!.GetValue<string>());
    }

    [Fact]
    public async Task SnsClientPublishReachesFunctionEnvelopeQueueAndRawQueueWithOneMessageId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("send-email", (_, _) => Task.FromResult<JsonNode?>(null)));

        var result = await NodeScript.RunAsync(sandbox, "sns.mjs", new Dictionary<string, string> { ["FUNCTION_ARN"] = sandbox.Arns.Function("send-email") });

        var messageId = result["messageId"]!.GetValue<string>();
        var invocations = await sandbox.Functions.Invocations.WaitUntilAsync(all => all.Count >= 3, TestSandbox.Deadline, TestContext.Current.CancellationToken);
        var bySnsId = invocations.ToDictionary(i => i.Event!["Records"]![0]!["Sns"]!["MessageId"]!.GetValue<string>());
        var record = Assert.Single(bySnsId[messageId].Event!["Records"]!.AsArray())!;
        Assert.Equal(["a", "b"], result["batch"]!.AsArray().Select(b => b!["id"]!.GetValue<string>()));
        Assert.All(result["batch"]!.AsArray(), b => Assert.Equal(
            "batch-" + b!["id"]!.GetValue<string>(),
            bySnsId[b["messageId"]!.GetValue<string>()].Event!["Records"]![0]!["Sns"]!["Message"]!.GetValue<string>()));
        Assert.Equal("aws:sns", record["EventSource"]!.GetValue<string>());
        Assert.Equal(messageId, record["Sns"]!["MessageId"]!.GetValue<string>());
        Assert.Equal("menu", record["Sns"]!["Subject"]!.GetValue<string>());
        Assert.Equal("u-1", record["Sns"]!["MessageAttributes"]!["userId"]!["Value"]!.GetValue<string>());
        var envelope = JsonNode.Parse(Assert.Single(result["envelopeBodies"]!.AsArray())!.GetValue<string>())!;
        Assert.Equal("Notification", envelope["Type"]!.GetValue<string>());
        Assert.Equal(messageId, envelope["MessageId"]!.GetValue<string>());
        Assert.Equal(result["topicArn"]!.GetValue<string>(), envelope["TopicArn"]!.GetValue<string>());
        Assert.Equal("{\"dish\":\"soup\"}", envelope["Message"]!.GetValue<string>());
        var raw = Assert.Single(result["raw"]!.AsArray())!;
        Assert.Equal("{\"dish\":\"soup\"}", raw["body"]!.GetValue<string>());
        Assert.Equal("u-1", raw["userId"]!.GetValue<string>());
        Assert.Equal(["lambda", "sqs", "sqs"], result["subscriptions"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("NotFoundException", result["missing"]!.GetValue<string>());
    }

    [Fact]
    public async Task KinesisClientPutsRecordsThatAMappingCreatedThroughTheLambdaClientDelivers()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("aggregate", (_, _) => Task.FromResult<JsonNode?>(null)));

        var result = await NodeScript.RunAsync(sandbox, "kinesis.mjs");

        var put = result["records"]!.AsArray().Select(r => (Shard: r!["shardId"]!.GetValue<string>(), Sequence: r["sequenceNumber"]!.GetValue<string>())).ToList();
        Assert.Equal(5, put.Count);
        Assert.Equal(2, result["openShards"]!.GetValue<int>());
        Assert.Equal(0, result["failed"]!.GetValue<int>());
        Assert.All(put, p => Assert.Matches("^shardId-00000000000[01]$", p.Shard));
        var records = await sandbox.WaitForRecordsAsync(r => r.Count >= 5);
        var streamArn = result["streamArn"]!.GetValue<string>();
        var delivered = records.Select(r =>
        {
            Assert.Equal(streamArn, r["eventSourceARN"]!.GetValue<string>());
            var eventId = r["eventID"]!.GetValue<string>();
            var sequence = r["kinesis"]!["sequenceNumber"]!.GetValue<string>();
            Assert.Equal(sequence, eventId[(eventId.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            return (Shard: eventId[..eventId.IndexOf(':', StringComparison.Ordinal)], Sequence: sequence);
        }).ToList();
        Assert.Equal(put.OrderBy(p => p.Sequence, StringComparer.Ordinal), delivered.OrderBy(p => p.Sequence, StringComparer.Ordinal));
        var first = records.Single(r => r["kinesis"]!["sequenceNumber"]!.GetValue<string>() == put[0].Sequence);
        Assert.Equal("click-1", Encoding.UTF8.GetString(Convert.FromBase64String(first["kinesis"]!["data"]!.GetValue<string>())));
        Assert.Equal("user-1", first["kinesis"]!["partitionKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task EventBridgeClientPutEventsReachesMatchingRuleTargetsWithTheEventId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("update-loyalty", (_, _) => Task.FromResult<JsonNode?>(null)));

        var result = await NodeScript.RunAsync(sandbox, "eventbridge.mjs", new Dictionary<string, string> { ["FUNCTION_ARN"] = sandbox.Arns.Function("update-loyalty") });

        var ids = result["eventIds"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(0, result["failedTargets"]!.GetValue<int>());
        var invocation = await sandbox.Functions.Invocations.WaitForAsync(i => i.FunctionName == "update-loyalty", TestSandbox.Deadline, TestContext.Current.CancellationToken);
        Assert.Equal(ids[0], invocation.Event!["id"]!.GetValue<string>());
        Assert.Equal("order-placed", invocation.Event["detail-type"]!.GetValue<string>());
        Assert.Equal("shop.payments", invocation.Event["source"]!.GetValue<string>());
        Assert.Equal("o-1", invocation.Event["detail"]!["orderId"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05Z", invocation.Event["time"]!.GetValue<string>());
        var queued = JsonNode.Parse(Assert.Single(result["queueBodies"]!.AsArray())!.GetValue<string>())!;
        Assert.Equal(ids[0], queued["id"]!.GetValue<string>());
        Assert.Single(sandbox.Functions.Invocations.Snapshot());
    }

    [Fact]
    public async Task ScheduledRuleCreatedByTheClientFiresScheduledEventsOnItsScaledRate()
    {
        // rate(1 minute) scaled by 1/600: every 100 ms.
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { ScheduleTimeScale = 1.0 / 600 });
        sandbox.Functions.Deploy(new FunctionDefinition("lunchbot", (_, _) => Task.FromResult<JsonNode?>(null)));

        var result = await NodeScript.RunAsync(sandbox, "schedule.mjs", new Dictionary<string, string> { ["FUNCTION_ARN"] = sandbox.Arns.Function("lunchbot") });

        var fired = await sandbox.Functions.Invocations.WaitUntilAsync(all => all.Count >= 2, TestSandbox.Deadline, TestContext.Current.CancellationToken);
        Assert.Equal("rate(1 minute)", result["schedule"]!.GetValue<string>());
        Assert.Equal("ENABLED", result["state"]!.GetValue<string>());
        Assert.All(fired, f =>
        {
            Assert.Equal("Scheduled Event", f.Event!["detail-type"]!.GetValue<string>());
            Assert.Equal("aws.events", f.Event["source"]!.GetValue<string>());
            Assert.Equal(result["ruleArn"]!.GetValue<string>(), Assert.Single(f.Event["resources"]!.AsArray())!.GetValue<string>());
            Assert.Equal(InvocationType.Event, f.Type);
        });
        Assert.NotEqual(fired[0].Event!["id"]!.GetValue<string>(), fired[1].Event!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task LambdaClientInvokeReturnsTheCalleesRequestIdForSyncErrorAndEventInvocations()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("fraud-check", (input, _) =>
            input!["amount"]!.GetValue<int>() < 0
                ? throw new ArgumentOutOfRangeException(nameof(input), "negative amount")
                : Task.FromResult<JsonNode?>(new JsonObject { ["score"] = 0.1 }))
        { MemoryMb = 256 });

        var result = await NodeScript.RunAsync(sandbox, "lambda.mjs");

        var queuedId = result["queued"]!["requestId"]!.GetValue<string>();
        var invocations = await sandbox.Functions.Invocations.WaitUntilAsync(all => all.Any(i => i.RequestId == queuedId), TestSandbox.Deadline, TestContext.Current.CancellationToken);
        var sync = result["sync"]!;
        Assert.Equal(200, sync["status"]!.GetValue<int>());
        Assert.Equal("{\"score\":0.1}", sync["payload"]!.GetValue<string>());
        Assert.Equal("1", sync["version"]!.GetValue<string>());
        Assert.Equal(InvocationType.RequestResponse, invocations.Single(i => i.RequestId == sync["requestId"]!.GetValue<string>()).Type);
        var failed = result["failed"]!;
        Assert.Equal("Unhandled", failed["functionError"]!.GetValue<string>());
        Assert.Equal("ArgumentOutOfRangeException", JsonNode.Parse(failed["payload"]!.GetValue<string>())!["errorType"]!.GetValue<string>());
        Assert.True(invocations.Single(i => i.RequestId == failed["requestId"]!.GetValue<string>()).Failed);
        Assert.Equal(202, result["queued"]!["status"]!.GetValue<int>());
        Assert.Equal(InvocationType.Event, invocations.Single(i => i.RequestId == queuedId).Type);
        Assert.Equal(256, result["memory"]!.GetValue<int>());
        Assert.Equal("ResourceNotFoundException", result["missing"]!.GetValue<string>());
    }
}
