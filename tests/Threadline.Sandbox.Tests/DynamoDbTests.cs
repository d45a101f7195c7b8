using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;

namespace Threadline.Sandbox.Tests;

public sealed class DynamoDbTests
{
    [Fact]
    public async Task WritesProduceInsertModifyRemoveRecordsWithKeysImagesAndStreamArn()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var dynamo = AwsClients.DynamoDb(sandbox);
        var streamArn = await CreateTableAsync(dynamo, "payments", StreamViewType.NEW_AND_OLD_IMAGES);
        Collect(sandbox, "send-email", streamArn);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var ct = TestContext.Current.CancellationToken;

        await dynamo.PutItemAsync("payments", Item("u1", "p1", ("status", "new")), ct);
        await dynamo.PutItemAsync("payments", Item("u1", "p1", ("status", "charged")), ct);
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "payments",
            Key = Key("u2", "p9"),
            UpdateExpression = "SET #s = :s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "created-by-update" } },
        }, ct);
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = "payments",
            Key = Key("u1", "p1"),
            UpdateExpression = "SET amount = :a REMOVE #s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":a"] = new AttributeValue { N = "12.50" } },
        }, ct);
        await dynamo.DeleteItemAsync("payments", Key("u1", "p1"), ct);

        var all = await sandbox.WaitForRecordsAsync(r => r.Count >= 5);
        Assert.Equal(["INSERT", "MODIFY", "INSERT", "MODIFY", "REMOVE"], all.Select(r => r["eventName"]!.GetValue<string>()));
        Assert.All(all, r => Assert.Equal(streamArn, r["eventSourceARN"]!.GetValue<string>()));
        Assert.All(all, r => Assert.InRange(r["dynamodb"]!["ApproximateCreationDateTime"]!.GetValue<long>(), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Equal("""{"userId":{"S":"u2"},"paymentId":{"S":"p9"}}""", all[2]["dynamodb"]!["Keys"]!.ToJsonString());
        Assert.Null(all[0]["dynamodb"]!["OldImage"]);
        Assert.Equal("new", all[1]["dynamodb"]!["OldImage"]!["status"]!["S"]!.GetValue<string>());
        Assert.Equal("charged", all[1]["dynamodb"]!["NewImage"]!["status"]!["S"]!.GetValue<string>());
        Assert.Equal("12.50", all[3]["dynamodb"]!["NewImage"]!["amount"]!["N"]!.GetValue<string>());
        Assert.Null(all[3]["dynamodb"]!["NewImage"]!["status"]);
        Assert.Null(all[4]["dynamodb"]!["NewImage"]);
        Assert.Equal("12.50", all[4]["dynamodb"]!["OldImage"]!["amount"]!["N"]!.GetValue<string>());
        var sequence = all.Select(r => r["dynamodb"]!["SequenceNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(sequence.Order(StringComparer.Ordinal), sequence);
    }

    [Theory]
    [InlineData("NEW_IMAGE", true, false)]
    [InlineData("OLD_IMAGE", false, true)]
    [InlineData("NEW_AND_OLD_IMAGES", true, true)]
    [InlineData("KEYS_ONLY", false, false)]
    public async Task StreamViewTypeDecidesWhichImagesARecordCarries(string view, bool newImage, bool oldImage)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var dynamo = AwsClients.DynamoDb(sandbox);
        var streamArn = await CreateTableAsync(dynamo, "t", new StreamViewType(view));
        Collect(sandbox, "f", streamArn);

        await dynamo.PutItemAsync("t", Item("u", "p", ("v", "1")), TestContext.Current.CancellationToken);
        await dynamo.PutItemAsync("t", Item("u", "p", ("v", "2")), TestContext.Current.CancellationToken);

        var modify = (await sandbox.WaitForRecordsAsync(r => r.Count >= 2))[1]["dynamodb"]!;
        Assert.Equal(view, modify["StreamViewType"]!.GetValue<string>());
        Assert.Equal(newImage, modify["NewImage"] is not null);
        Assert.Equal(oldImage, modify["OldImage"] is not null);
        Assert.NotNull(modify["Keys"]);
    }

    [Fact]
    public async Task BatchAndTransactWritesProduceOneRecordPerEntryAndCancelledTransactionsNone()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var dynamo = AwsClients.DynamoDb(sandbox);
        var streamArn = await CreateTableAsync(dynamo, "t", StreamViewType.KEYS_ONLY);
        Collect(sandbox, "f", streamArn);
        var ct = TestContext.Current.CancellationToken;

        await dynamo.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
        {
            ["t"] = [new(new PutRequest(Item("a", "1"))), new(new PutRequest(Item("b", "1")))],
        }, ct);
        await Assert.ThrowsAsync<TransactionCanceledException>(() => dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new() { Put = new Put { TableName = "t", Item = Item("c", "1") } },
                new() { Put = new Put { TableName = "t", Item = Item("a", "1"), ConditionExpression = "attribute_not_exists(userId)" } },
            ],
        }, ct));
        await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new() { Put = new Put { TableName = "t", Item = Item("c", "1") } },
                new() { Delete = new Delete { TableName = "t", Key = Key("a", "1") } },
                new() { Update = new Update { TableName = "t", Key = Key("b", "1"), UpdateExpression = "SET n = :n", ExpressionAttributeValues = new() { [":n"] = new AttributeValue { N = "1" } } } },
            ],
        }, ct);

        var all = await sandbox.WaitForRecordsAsync(r => r.Count >= 5);
        Assert.Equal(["INSERT a", "INSERT b", "INSERT c", "REMOVE a", "MODIFY b"], all.Select(r => $"{r["eventName"]} {r["dynamodb"]!["Keys"]!["userId"]!["S"]}"));
        Assert.Equal(2, (await dynamo.ScanAsync(new ScanRequest("t"), ct)).Count);
    }

    [Fact]
    public async Task GetUpdateArithmeticAndConditionsBehaveAsDynamoDb()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var dynamo = AwsClients.DynamoDb(sandbox);
        await CreateTableAsync(dynamo, "t", null);
        var ct = TestContext.Current.CancellationToken;
        var increment = new UpdateItemRequest
        {
            TableName = "t",
            Key = Key("u", "p"),
            UpdateExpression = "SET visits = if_not_exists(visits, :zero) + :one",
            ExpressionAttributeValues = new() { [":zero"] = new AttributeValue { N = "0" }, [":one"] = new AttributeValue { N = "1" } },
            ReturnValues = ReturnValue.ALL_NEW,
        };

        await dynamo.UpdateItemAsync(increment, ct);
        var second = await dynamo.UpdateItemAsync(increment, ct);
        var got = await dynamo.GetItemAsync("t", Key("u", "p"), ct);

        Assert.Equal("2", second.Attributes["visits"].N);
        Assert.Equal("2", got.Item["visits"].N);
        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = "t",
            Item = Item("u", "p"),
            ConditionExpression = "attribute_not_exists(userId) OR visits < :v",
            ExpressionAttributeValues = new() { [":v"] = new AttributeValue { N = "2" } },
        }, ct));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => dynamo.GetItemAsync("missing", Key("u", "p"), ct));
    }

    [Fact]
    public async Task QueryReturnsOnePartitionInSortKeyOrderWithKeyConditionsAndFilters()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var dynamo = AwsClients.DynamoDb(sandbox);
        await CreateTableAsync(dynamo, "t", null);
        var ct = TestContext.Current.CancellationToken;
        foreach (var (user, payment, status) in new[] { ("u1", "p3", "ok"), ("u1", "p1", "failed"), ("u1", "p2", "ok"), ("u2", "p1", "ok"), ("u1", "x9", "ok") })
        {
            await dynamo.PutItemAsync("t", Item(user, payment, ("status", status)), ct);
        }

        var query = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = "t",
            KeyConditionExpression = "userId = :u AND begins_with(paymentId, :p)",
            FilterExpression = "#s = :ok",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":u"] = new AttributeValue { S = "u1" }, [":p"] = new AttributeValue { S = "p" }, [":ok"] = new AttributeValue { S = "ok" } },
            ScanIndexForward = false,
        }, ct);

        Assert.Equal(["p3", "p2"], query.Items.Select(i => i["paymentId"].S));
    }

    [Fact]
    public async Task FailedBatchIsRetriedWithTheSameRecordsAndReportedFailuresResumeThere()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { StreamRetryDelay = TimeSpan.FromMilliseconds(10) });
        using var dynamo = AwsClients.DynamoDb(sandbox);
        var streamArn = await CreateTableAsync(dynamo, "t", StreamViewType.NEW_IMAGE);
        var attempts = 0;
        sandbox.Functions.Deploy(new FunctionDefinition("f", (input, _) =>
        {
            var records = input!["Records"]!.AsArray();
            return ++attempts switch
            {
                1 => throw new InvalidOperationException("first attempt fails"),
                2 => Task.FromResult<JsonNode?>(new JsonObject
                {
                    ["batchItemFailures"] = new JsonArray(new JsonObject { ["itemIdentifier"] = records[1]!["dynamodb"]!["SequenceNumber"]!.GetValue<string>() }),
                }),
                _ => Task.FromResult<JsonNode?>(new JsonObject { ["batchItemFailures"] = new JsonArray() }),
            };
        }));
        await dynamo.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
        {
            ["t"] = [new(new PutRequest(Item("a", "1"))), new(new PutRequest(Item("b", "1"))), new(new PutRequest(Item("c", "1")))],
        }, TestContext.Current.CancellationToken);
        sandbox.Mappings.Add(new EventSourceMappingConfig(streamArn!, "f") { ReportBatchItemFailures = true });

        var invocations = await sandbox.Functions.Invocations.WaitUntilAsync(i => i.Count >= 3, TestSandbox.Deadline, TestContext.Current.CancellationToken);

        string[] Ids(InvocationRecord i) => [.. i.Event!["Records"]!.AsArray().Select(r => r!["eventID"]!.GetValue<string>())];
        Assert.True(invocations[0].Failed);
        Assert.Equal(Ids(invocations[0]), Ids(invocations[1]));
        Assert.Equal(Ids(invocations[0])[1..], Ids(invocations[2]));
    }

    [Fact]
    public async Task BatchThatKeepsFailingIsSkippedAfterMaximumRetryAttempts()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { StreamRetryDelay = TimeSpan.FromMilliseconds(10) });
        using var dynamo = AwsClients.DynamoDb(sandbox);
        var streamArn = await CreateTableAsync(dynamo, "t", StreamViewType.KEYS_ONLY);
        sandbox.Functions.Deploy(new FunctionDefinition("f", (input, _) =>
            input!["Records"]![0]!["dynamodb"]!["Keys"]!["userId"]!["S"]!.GetValue<string>() == "poison"
                ? throw new InvalidOperationException("cannot handle")
                : Task.FromResult<JsonNode?>(null)));
        sandbox.Mappings.Add(new EventSourceMappingConfig(streamArn!, "f") { BatchSize = 1, MaximumRetryAttempts = 2 });

        await dynamo.PutItemAsync("t", Item("poison", "1"), TestContext.Current.CancellationToken);
        await dynamo.PutItemAsync("t", Item("next", "1"), TestContext.Current.CancellationToken);
        var invocations = await sandbox.Functions.Invocations.WaitUntilAsync(all => all.Any(i => !i.Failed), TestSandbox.Deadline, TestContext.Current.CancellationToken);

        Assert.Equal([true, true, true, false], invocations.Select(i => i.Failed));
        Assert.Equal("next", invocations[^1].Event!["Records"]![0]!["dynamodb"]!["Keys"]!["userId"]!["S"]!.GetValue<string>());
    }

    [Fact]
    public async Task BatchingWindowGathersRecordsUntilItEnds()
    {
        var clock = new ManualClock();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { TimeProvider = clock });
        using var dynamo = AwsClients.DynamoDb(sandbox);
        var streamArn = await CreateTableAsync(dynamo, "t", StreamViewType.KEYS_ONLY);
        sandbox.Functions.Deploy(new FunctionDefinition("f", (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.Mappings.Add(new EventSourceMappingConfig(streamArn!, "f") { MaximumBatchingWindow = TimeSpan.FromHours(1) });

        foreach (var user in new[] { "a", "b", "c" })
        {
            await dynamo.PutItemAsync("t", Item(user, "1"), TestContext.Current.CancellationToken);
        }

        clock.Advance(TimeSpan.FromHours(2));
        var invocation = await sandbox.Functions.Invocations.WaitForAsync(_ => true, TestSandbox.Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(3, invocation.Event!["Records"]!.AsArray().Count);
        Assert.Single(sandbox.Functions.Invocations.Snapshot());
    }

    internal static Dictionary<string, AttributeValue> Key(string user, string payment) =>
        new() { ["userId"] = new AttributeValue { S = user }, ["paymentId"] = new AttributeValue { S = payment } };

    internal static Dictionary<string, AttributeValue> Item(string user, string payment, params (string Name, string Value)[] attributes)
    {
        var item = Key(user, payment);
        foreach (var (name, value) in attributes)
        {
            item[name] = new AttributeValue { S = value };
        }

        return item;
    }

    internal static async Task<string?> CreateTableAsync(AmazonDynamoDBClient dynamo, string name, StreamViewType? view)
    {
        var created = await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new("userId", KeyType.HASH), new("paymentId", KeyType.RANGE)],
            AttributeDefinitions = [new("userId", ScalarAttributeType.S), new("paymentId", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
            StreamSpecification = view is null ? null : new StreamSpecification { StreamEnabled = true, StreamViewType = view },
        }, TestContext.Current.CancellationToken);
        var described = await dynamo.DescribeTableAsync(name, TestContext.Current.CancellationToken);
        Assert.Equal(created.TableDescription.LatestStreamArn, described.Table.LatestStreamArn);
        return described.Table.LatestStreamArn;
    }

    /// <summary>Deploys a function that accepts every batch, mapped to the stream.</summary>
    private static void Collect(SandboxHost sandbox, string function, string? streamArn)
    {
        Assert.NotNull(streamArn);
        sandbox.Functions.Deploy(new FunctionDefinition(function, (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.Mappings.Add(new EventSourceMappingConfig(streamArn, function));
    }
}
