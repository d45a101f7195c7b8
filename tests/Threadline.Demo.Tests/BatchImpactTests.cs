using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Threadline.Demo.AwsLite.Kinesis;
using Threadline.Demo.AwsLite.Sns;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;
using Threadline.Tracer;

namespace Threadline.Demo.Tests;

/// <summary>
/// Who is really hit when a batch consumer fails (issue 17), per trigger, on the sandbox with the tracer and a real
/// Threadline server: each user sends one record from a transaction of their own (the <c>checkout</c> function, whose
/// event carries the user); the consumer fails the records of some users for their first N deliveries; the send-email
/// style issue's API answer must then name exactly the failed, delayed and in-failed-batch users and count every
/// record's outcome.
/// </summary>
public sealed class BatchImpactTests : IAsyncLifetime
{
    private const string Checkout = "checkout";
    private const string Worker = "worker";
    private readonly ConcurrentDictionary<string, int> _deliveries = new();
    private TracedSandbox _traced = null!;

    public async ValueTask InitializeAsync() => _traced = await TracedSandbox.StartAsync();

    public async ValueTask DisposeAsync() => await _traced.DisposeAsync();

    private Threadline.Sandbox.SandboxHost Sandbox => _traced.Sandbox;

    /// <summary>A user's record: it fails while it has been delivered at most <paramref name="Failures"/> times.</summary>
    private sealed record Order(string User, bool Vip, int Failures);

    [Fact]
    public async Task Sqs_partial_failure_fails_only_the_failed_record_and_a_redelivery_recovers_it()
    {
        var queue = CreateQueue("work", deadLetterAfter: null);
        await SendAllAsync(queue, [new("u-ann", true, 1), new("u-bob", false, 0), new("u-cat", false, 0)]);
        DeployWorker(perRecord: true, reportBatchItemFailures: true);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.Queue("work"), Worker) { BatchSize = 10, ReportBatchItemFailures = true });

        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 1, 0, 0));
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: [], inFailedBatches: []);
        Assert.StartsWith("worker fails in 1 checkout event; 1 user affected (1 VIP: u-ann)", issue.Str("impactSummary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqs_partial_failure_that_keeps_failing_sends_the_message_to_the_dead_letter_queue_and_the_record_is_lost()
    {
        Sandbox.Sqs.CreateQueue("work-dlq");
        var queue = CreateQueue("work", deadLetterAfter: 2);
        await SendAllAsync(queue, [new("u-ann", true, 99), new("u-bob", false, 0)]);
        DeployWorker(perRecord: true, reportBatchItemFailures: true);
        Sandbox.Functions.Deploy(new FunctionDefinition("dlq-audit", (_, _) => Task.FromResult<JsonNode?>(null)));
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.Queue("work"), Worker) { BatchSize = 10, ReportBatchItemFailures = true });
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.Queue("work-dlq"), "dlq-audit") { BatchSize = 10 });

        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 0, 1, 0));
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: [], inFailedBatches: []);
    }

    [Fact]
    public async Task Sqs_whole_batch_failure_without_record_information_counts_every_user_in_a_failed_batch()
    {
        var queue = CreateQueue("work", deadLetterAfter: null);
        await SendAllAsync(queue, [new("u-ann", true, 1), new("u-bob", false, 0), new("u-cat", false, 0)]);
        DeployWorker(perRecord: false, reportBatchItemFailures: false);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.Queue("work"), Worker) { BatchSize = 10 });

        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 3, 0, 0));
        AssertUsers(issue, failed: [], vips: [], delayed: [], inFailedBatches: ["u-ann", "u-bob", "u-cat"]);
        Assert.Contains("3 users in failed batches (1 VIP: u-ann) (attribution per batch)", issue.Str("impactSummary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqs_whole_batch_failure_with_record_spans_fails_the_failed_record_and_delays_its_batch_mates()
    {
        var queue = CreateQueue("work", deadLetterAfter: null);
        await SendAllAsync(queue, [new("u-ann", true, 1), new("u-bob", false, 0), new("u-cat", false, 0)]);
        DeployWorker(perRecord: true, reportBatchItemFailures: false);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.Queue("work"), Worker) { BatchSize = 10 });

        var issue = await IssueAsync(i => Outcomes(i) == (0, 2, 1, 0, 0) && Users(i, "delayedExposure").Count == 2);
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: ["u-bob", "u-cat"], inFailedBatches: []);
        Assert.Contains("; 2 more users delayed, all recovered", issue.Str("impactSummary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kinesis_partial_failure_retries_from_the_failed_record_which_recovers_and_delays_the_records_after_it()
    {
        await PutOrdersAsync([new("u-bob", false, 0), new("u-ann", true, 1), new("u-cat", false, 0)]);
        DeployWorker(perRecord: true, reportBatchItemFailures: true);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.KinesisStream("orders"), Worker) { BatchSize = 10, ReportBatchItemFailures = true });

        var issue = await IssueAsync(i => Outcomes(i) == (0, 1, 1, 0, 0) && Users(i, "delayedExposure").Count == 1);
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: ["u-cat"], inFailedBatches: []);
    }

    [Fact]
    public async Task Kinesis_whole_batch_failure_without_bisect_leaves_every_user_in_a_failed_batch()
    {
        await PutOrdersAsync([new("u-bob", false, 0), new("u-ann", true, 99), new("u-cat", false, 0), new("u-dan", false, 0)]);
        DeployWorker(perRecord: false, reportBatchItemFailures: false);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.KinesisStream("orders"), Worker) { BatchSize = 10, MaximumRetryAttempts = 1 });

        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 0, 0, 4));
        AssertUsers(issue, failed: [], vips: [], delayed: [], inFailedBatches: ["u-ann", "u-bob", "u-cat", "u-dan"]);
    }

    [Fact]
    public async Task Kinesis_whole_batch_failure_with_bisect_narrows_the_failure_to_its_record_and_the_skipped_batch_goes_to_the_destination()
    {
        Sandbox.Sqs.CreateQueue("orders-failures");
        var records = await PutOrdersAsync([new("u-bob", false, 0), new("u-ann", true, 99), new("u-cat", false, 0), new("u-dan", false, 0)]);
        DeployWorker(perRecord: false, reportBatchItemFailures: false);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.KinesisStream("orders"), Worker)
        {
            BatchSize = 10,
            MaximumRetryAttempts = 1,
            BisectBatchOnFunctionError = true,
            OnFailureDestination = Sandbox.Arns.Queue("orders-failures"),
        });

        // [bob ann cat dan] fails, [bob ann] fails, [bob] succeeds, [ann] fails twice and is skipped, [cat dan] succeeds.
        var issue = await IssueAsync(i => Outcomes(i) == (1, 0, 3, 0, 0));
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: [], inFailedBatches: ["u-bob", "u-cat", "u-dan"]);
        // The issue can show its final outcomes before the sandbox logs the last ([cat dan]) invocation.
        var batches = (await WorkerInvocationsAsync(6)).Select(i => i.Event!["Records"]!.AsArray().Count).ToList();
        Assert.Equal([4, 2, 1, 1, 1, 2], batches);

        using var sqs = _traced.Clients.Sqs();
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = Sandbox.Sqs.CreateQueue("orders-failures"), WaitTimeSeconds = 5 },
            TestContext.Current.CancellationToken);
        var failure = JsonNode.Parse(Assert.Single(received.Messages).Body)!;
        Assert.Equal("RetryAttemptsExhausted", failure["requestContext"]!["condition"]!.GetValue<string>());
        var info = failure["KinesisBatchInfo"]!;
        Assert.Equal((records[1], records[1], 1), (info["startSequenceNumber"]!.GetValue<string>(), info["endSequenceNumber"]!.GetValue<string>(), info["batchSize"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Kinesis_records_skipped_after_the_last_retry_are_lost_when_a_traced_consumer_of_the_destination_receives_their_range()
    {
        Sandbox.Sqs.CreateQueue("orders-failures");
        var records = await PutOrdersAsync([new("u-bob", false, 0), new("u-ann", true, 99), new("u-cat", false, 0)]);
        DeployWorker(perRecord: true, reportBatchItemFailures: true);
        Sandbox.Functions.Deploy(new FunctionDefinition("failure-audit", (_, _) => Task.FromResult<JsonNode?>(null)));
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.Queue("orders-failures"), "failure-audit") { BatchSize = 10 });
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.KinesisStream("orders"), Worker)
        {
            BatchSize = 10,
            ReportBatchItemFailures = true,
            MaximumRetryAttempts = 1,
            OnFailureDestination = Sandbox.Arns.Queue("orders-failures"),
        });

        // [bob ann cat]: ann fails, cat is not reached; [ann cat] again, then Lambda skips both and sends their range on.
        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 0, 2, 0));
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: ["u-cat"], inFailedBatches: []);
        Assert.DoesNotContain("all recovered", issue.Str("impactSummary"), StringComparison.Ordinal);
        var audit = Assert.Single(await InvocationsAsync("failure-audit", 1));
        var info = JsonNode.Parse(audit.Event!["Records"]![0]!["body"]!.GetValue<string>())!["KinesisBatchInfo"]!;
        Assert.Equal((records[1], records[2]), (info["startSequenceNumber"]!.GetValue<string>(), info["endSequenceNumber"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Dynamodb_stream_partial_failure_fails_only_the_failed_item_and_delays_the_items_after_it()
    {
        await WriteOrdersAsync([new("u-bob", false, 0), new("u-ann", true, 1), new("u-cat", false, 0)]);
        DeployWorker(perRecord: true, reportBatchItemFailures: true);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.DynamoDb.StreamArnOf("orders"), Worker) { BatchSize = 10, ReportBatchItemFailures = true });

        var issue = await IssueAsync(i => Outcomes(i) == (0, 1, 1, 0, 0) && Users(i, "delayedExposure").Count == 1);
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: ["u-cat"], inFailedBatches: []);
    }

    [Fact]
    public async Task Dynamodb_stream_whole_batch_failure_without_bisect_leaves_every_user_in_a_failed_batch()
    {
        await WriteOrdersAsync([new("u-bob", false, 0), new("u-ann", true, 99), new("u-cat", false, 0), new("u-dan", false, 0)]);
        DeployWorker(perRecord: false, reportBatchItemFailures: false);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.DynamoDb.StreamArnOf("orders"), Worker) { BatchSize = 10, MaximumRetryAttempts = 1 });

        // The batch fails, is retried once whole, fails again and is skipped.
        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 0, 0, 4) && i.GetProperty("count").GetInt32() == 2);
        AssertUsers(issue, failed: [], vips: [], delayed: [], inFailedBatches: ["u-ann", "u-bob", "u-cat", "u-dan"]);
        Assert.Equal([4, 4], (await WorkerInvocationsAsync(2)).Select(i => i.Event!["Records"]!.AsArray().Count));
    }

    [Fact]
    public async Task Dynamodb_stream_whole_batch_failure_with_bisect_narrows_the_failure_to_its_item_and_the_skipped_batch_goes_to_the_destination()
    {
        Sandbox.Sqs.CreateQueue("orders-failures");
        await WriteOrdersAsync([new("u-bob", false, 0), new("u-ann", true, 99), new("u-cat", false, 0), new("u-dan", false, 0)]);
        DeployWorker(perRecord: false, reportBatchItemFailures: false);
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.DynamoDb.StreamArnOf("orders"), Worker)
        {
            BatchSize = 10,
            MaximumRetryAttempts = 1,
            BisectBatchOnFunctionError = true,
            OnFailureDestination = Sandbox.Arns.Queue("orders-failures"),
        });

        // [bob ann cat dan] fails, [bob ann] fails, [bob] succeeds, [ann] fails twice and is skipped, [cat dan] succeeds.
        var issue = await IssueAsync(i => Outcomes(i) == (1, 0, 3, 0, 0));
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: [], inFailedBatches: ["u-bob", "u-cat", "u-dan"]);
        var worker = await WorkerInvocationsAsync(6);
        Assert.Equal([4, 2, 1, 1, 1, 2], worker.Select(i => i.Event!["Records"]!.AsArray().Count));
        var annSequenceNumber = worker[3].Event!["Records"]![0]!["dynamodb"]!["SequenceNumber"]!.GetValue<string>();

        using var sqs = _traced.Clients.Sqs();
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = Sandbox.Sqs.CreateQueue("orders-failures"), WaitTimeSeconds = 5 },
            TestContext.Current.CancellationToken);
        var failure = JsonNode.Parse(Assert.Single(received.Messages).Body)!;
        Assert.Equal("RetryAttemptsExhausted", failure["requestContext"]!["condition"]!.GetValue<string>());
        var info = failure["DDBStreamBatchInfo"]!;
        Assert.Equal((annSequenceNumber, annSequenceNumber, 1), (info["startSequenceNumber"]!.GetValue<string>(), info["endSequenceNumber"]!.GetValue<string>(), info["batchSize"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Sns_delivery_that_fails_once_is_retried_and_recovers()
    {
        var topic = Sandbox.Sns.CreateTopic("orders");
        DeployCheckout(async (order, _) =>
        {
            var sns = _traced.Clients.Sns();
            await sns.PublishAsync(new PublishRequest { TopicArn = topic, Message = order });
        });
        DeployWorker(perRecord: true, reportBatchItemFailures: false);
        Sandbox.Sns.Subscribe(topic, Sandbox.Arns.Function(Worker));
        await CheckoutAllAsync([new("u-ann", true, 1), new("u-bob", false, 0)]);

        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 1, 0, 0));
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: [], inFailedBatches: []);
    }

    [Fact]
    public async Task Sns_delivery_that_keeps_failing_goes_to_the_on_failure_destination_and_the_record_is_lost()
    {
        var topic = Sandbox.Sns.CreateTopic("orders");
        DeployCheckout(async (order, _) =>
        {
            var sns = _traced.Clients.Sns();
            await sns.PublishAsync(new PublishRequest { TopicArn = topic, Message = order });
        });
        DeployWorker(perRecord: true, reportBatchItemFailures: false);
        Sandbox.Sqs.CreateQueue("worker-failures");
        Sandbox.Functions.SetAsyncOnFailureDestination(Worker, Sandbox.Arns.Queue("worker-failures"));
        Sandbox.Functions.Deploy(new FunctionDefinition("failure-audit", (_, _) => Task.FromResult<JsonNode?>(null)));
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.Arns.Queue("worker-failures"), "failure-audit") { BatchSize = 10 });
        Sandbox.Sns.Subscribe(topic, Sandbox.Arns.Function(Worker));
        await CheckoutAllAsync([new("u-ann", true, 99), new("u-bob", false, 0)]);

        // ann's event fails its delivery and Lambda's two retries, then its invocation record goes to the destination.
        var issue = await IssueAsync(i => Outcomes(i) == (0, 0, 0, 1, 0));
        AssertUsers(issue, failed: ["u-ann"], vips: ["u-ann"], delayed: [], inFailedBatches: []);
        Assert.Equal(3, (await WorkerInvocationsAsync(4)).Count(i => i.Error is not null));
        var audit = Assert.Single(await InvocationsAsync("failure-audit", 1));
        Assert.Contains("u-ann", audit.Event!["Records"]![0]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private string CreateQueue(string name, int? deadLetterAfter)
    {
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "1" };
        if (deadLetterAfter is { } count)
            attributes["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{Sandbox.Arns.Queue(name + "-dlq")}}","maxReceiveCount":"{{count}}"}""";
        return Sandbox.Sqs.CreateQueue(name, attributes);
    }

    private async Task SendAllAsync(string queueUrl, IReadOnlyList<Order> orders)
    {
        DeployCheckout(async (order, _) =>
        {
            using var sqs = _traced.Clients.Sqs();
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = order });
        });
        await CheckoutAllAsync(orders);
    }

    /// <summary>Checks the orders out onto the Kinesis stream <c>orders</c> (one shard), in order; their sequence numbers.</summary>
    private async Task<List<string>> PutOrdersAsync(IReadOnlyList<Order> orders)
    {
        Sandbox.Kinesis.CreateStream("orders");
        var sequenceNumbers = new ConcurrentQueue<string>();
        DeployCheckout(async (order, _) =>
        {
            var kinesis = _traced.Clients.Kinesis();
            var put = await kinesis.PutRecordAsync(new PutRecordRequest { StreamName = "orders", PartitionKey = "p", Data = new MemoryStream(Encoding.UTF8.GetBytes(order)) });
            sequenceNumbers.Enqueue(put.SequenceNumber!);
        });
        await CheckoutAllAsync(orders);
        return [.. sequenceNumbers];
    }

    /// <summary>Checks the orders out as items of the table <c>orders</c> (its stream has one shard), in order.</summary>
    private async Task WriteOrdersAsync(IReadOnlyList<Order> orders)
    {
        await CreateTableAsync("orders");
        DeployCheckout(async (order, _) =>
        {
            var dynamo = _traced.Clients.DynamoDb();
            var user = JsonNode.Parse(order)!["user"]!.GetValue<string>();
            await dynamo.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest
            {
                TableName = "orders",
                Item = new() { ["id"] = new() { S = user }, ["order"] = new() { S = order } },
            });
        });
        await CheckoutAllAsync(orders);
    }

    private async Task CreateTableAsync(string name)
    {
        using var dynamo = _traced.Clients.DynamoDb();
        await dynamo.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
        {
            TableName = name,
            KeySchema = [new("id", Amazon.DynamoDBv2.KeyType.HASH)],
            AttributeDefinitions = [new("id", Amazon.DynamoDBv2.ScalarAttributeType.S)],
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
            StreamSpecification = new() { StreamEnabled = true, StreamViewType = Amazon.DynamoDBv2.StreamViewType.NEW_IMAGE },
        }, TestContext.Current.CancellationToken);
    }

    /// <summary>The entry function: its event's body names the user (the analysis's user and VIP rules read it); it sends the order on.</summary>
    private void DeployCheckout(Func<string, JsonNode?, Task> send) =>
        Sandbox.Functions.Deploy(new FunctionDefinition(Checkout, async (input, _) =>
        {
            var body = input!["body"]!;
            var order = new JsonObject { ["user"] = body["userId"]!.GetValue<string>(), ["failures"] = body["failures"]!.GetValue<int>() };
            await send(order.ToJsonString(), input);
            return null;
        }));

    /// <summary>Runs checkout once per order, in order, each its own transaction.</summary>
    private async Task CheckoutAllAsync(IReadOnlyList<Order> orders)
    {
        foreach (var order in orders)
        {
            var result = await Sandbox.Functions.InvokeAsync(Checkout, new JsonObject
            {
                ["body"] = new JsonObject { ["userId"] = order.User, ["vip"] = order.Vip, ["failures"] = order.Failures },
            });
            Assert.False(result.Failed, result.Error?.ErrorMessage);
        }
    }

    /// <summary>
    /// The consumer: per record (the tracer's record spans and, when asked, a partial batch response), or the whole
    /// batch at once with no record information (it throws when any record fails).
    /// </summary>
    private void DeployWorker(bool perRecord, bool reportBatchItemFailures) =>
        Sandbox.Functions.Deploy(new FunctionDefinition(Worker, async (input, _) =>
        {
            var records = input?["Records"]?.AsArray() ?? [];
            if (perRecord)
                return (await ThreadlineTracer.ForEachRecordAsync(records, record => Process(record!), reportBatchItemFailures)).ToJson();
            var failures = new List<Exception>();
            foreach (var record in records)
            {
                try
                {
                    await Process(record!);
                }
                catch (InvalidOperationException ex)
                {
                    failures.Add(ex);
                }
            }
            return failures.Count > 0 ? throw failures[0] : null;
        }));

    private Task Process(JsonNode record)
    {
        var text = (record["eventSource"] ?? record["EventSource"])?.GetValue<string>() switch
        {
            "aws:sqs" => record["body"]!.GetValue<string>(),
            "aws:sns" => record["Sns"]!["Message"]!.GetValue<string>(),
            "aws:kinesis" => Encoding.UTF8.GetString(Convert.FromBase64String(record["kinesis"]!["data"]!.GetValue<string>())),
            "aws:dynamodb" => record["dynamodb"]!["NewImage"]!["order"]!["S"]!.GetValue<string>(),
            var other => throw new ArgumentException($"unexpected record source {other}"),
        };
        var order = JsonNode.Parse(text)!;
        var user = order["user"]!.GetValue<string>();
        var delivery = _deliveries.AddOrUpdate(user, 1, (_, n) => n + 1);
        if (delivery <= order["failures"]!.GetValue<int>())
            throw new InvalidOperationException($"Order of {user} could not be processed (delivery {delivery})");
        return Task.CompletedTask;
    }

    /// <summary>
    /// The worker's invocations once the sandbox logged at least <paramref name="count"/> (the issue can show its last
    /// outcome before the sandbox logged the invocation after it).
    /// </summary>
    private Task<List<Threadline.Sandbox.Functions.InvocationRecord>> WorkerInvocationsAsync(int count) => InvocationsAsync(Worker, count);

    /// <summary>
    /// The sandbox logs an invocation after its handler returns, which can be after Threadline has derived the
    /// invocation's spans: wait until the log holds <paramref name="count"/> invocations of the function.
    /// </summary>
    private async Task<List<Threadline.Sandbox.Functions.InvocationRecord>> InvocationsAsync(string function, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<Threadline.Sandbox.Functions.InvocationRecord> Logged() => [.. Sandbox.Functions.Invocations.Snapshot().Where(i => i.FunctionName == function)];
        while (Logged().Count < count && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        return Logged();
    }

    private async Task<JsonElement> IssueAsync(Func<JsonElement, bool> until)
    {
        var issues = await _traced.Threadline.WaitForAsync($"/api/issues?function={Worker}", a => a.GetArrayLength() > 0);
        var id = Assert.Single(issues.EnumerateArray()).Str("id");
        return await _traced.Threadline.WaitForAsync($"/api/issues/{id}", until);
    }

    private static (int Failed, int Delayed, int Recovered, int Lost, int InFailedBatch) Outcomes(JsonElement issue)
    {
        var o = issue.GetProperty("outcomes");
        return (o.GetProperty("failed").GetInt32(), o.GetProperty("delayed").GetInt32(), o.GetProperty("recovered").GetInt32(),
            o.GetProperty("lost").GetInt32(), o.GetProperty("inFailedBatch").GetInt32());
    }

    private static List<string> Users(JsonElement issue, string exposure) =>
        [.. issue.GetProperty(exposure).Items("sampleUsers").Select(u => u.GetString()!)];

    private static void AssertUsers(JsonElement issue, string[] failed, string[] vips, string[] delayed, string[] inFailedBatches)
    {
        Assert.Equal(failed, Users(issue, "exposure"));
        Assert.Equal(failed.Length, issue.GetProperty("exposure").GetProperty("users").GetInt32());
        Assert.Equal(vips, issue.GetProperty("exposure").Items("vipUsers").Select(u => u.GetString()!));
        Assert.Equal(delayed, Users(issue, "delayedExposure"));
        Assert.Equal(inFailedBatches, Users(issue, "failedBatchExposure"));
    }
}
