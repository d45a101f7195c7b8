using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Threadline.Sandbox.Functions;

namespace Threadline.Sandbox.Tests;

public sealed class S3Tests
{
    [Fact]
    public async Task PutThenGetReturnsTheBytesMetadataAndMd5ETag()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var s3 = AwsClients.S3(sandbox);
        var ct = TestContext.Current.CancellationToken;
        await s3.PutBucketAsync("receipts", ct);

        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "receipts",
            Key = "2026/pay 1.json",
            ContentBody = "{\"amount\":12}",
            ContentType = "application/json",
            Metadata = { ["user-id"] = "u1" },
        }, ct);
        using var got = await s3.GetObjectAsync("receipts", "2026/pay 1.json", ct);
        using var reader = new StreamReader(got.ResponseStream);

        Assert.Equal("{\"amount\":12}", await reader.ReadToEndAsync(ct));
        Assert.Equal("\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("{\"amount\":12}"))) + "\"", put.ETag);
        Assert.Equal(put.ETag, got.ETag);
        Assert.Equal("u1", got.Metadata["user-id"]);
        Assert.Matches("^[0-9A-F]{16}$", put.ResponseMetadata.RequestId);
        var missing = await Assert.ThrowsAsync<NoSuchKeyException>(() => s3.GetObjectAsync("receipts", "nope", ct));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        Assert.Equal("2026/pay 1.json", Assert.Single((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "receipts" }, ct)).S3Objects).Key);
    }

    [Fact]
    public async Task UploadNotifiesFunctionQueueAndTopicWithThePutsRequestIdAndETag()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var s3 = AwsClients.S3(sandbox);
        using var sqs = AwsClients.Sqs(sandbox);
        var ct = TestContext.Current.CancellationToken;
        sandbox.Functions.Deploy(new FunctionDefinition("archive-receipt", (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.Functions.Deploy(new FunctionDefinition("via-topic", (_, _) => Task.FromResult<JsonNode?>(null)));
        var queueUrl = (await sqs.CreateQueueAsync("uploads", ct)).QueueUrl;
        var topicArn = sandbox.Sns.CreateTopic("uploads-topic");
        sandbox.Sns.Subscribe(topicArn, sandbox.Arns.Function("via-topic"));
        await s3.PutBucketAsync("receipts", ct);
        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = "receipts",
            LambdaFunctionConfigurations = [new() { Id = "to-function", FunctionArn = sandbox.Arns.Function("archive-receipt"), Events = [EventType.ObjectCreatedAll], Filter = new() { S3KeyFilter = new() { FilterRules = [new("prefix", "receipts/")] } } }],
            QueueConfigurations = [new() { Id = "to-queue", Queue = sandbox.Arns.Queue("uploads"), Events = [EventType.ObjectCreatedPut], Filter = new() { S3KeyFilter = new() { FilterRules = [new("suffix", "1.json")] } } }],
            TopicConfigurations = [new() { Id = "to-topic", Topic = topicArn, Events = [EventType.ObjectCreatedAll] }],
        }, ct);

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "receipts", Key = "receipts/pay 1.json", ContentBody = "{}" }, ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "receipts", Key = "other/ignored.json", ContentBody = "{}" }, ct);

        var direct = await sandbox.Functions.Invocations.WaitForAsync(i => i.FunctionName == "archive-receipt", TestSandbox.Deadline, ct);
        var record = direct.Event!["Records"]![0]!;
        AssertRecordOfPut(record, put, "to-function");
        var viaTopic = await sandbox.Functions.Invocations.WaitForAsync(i => i.FunctionName == "via-topic" && i.Event!["Records"]![0]!["Sns"]!["Message"]!.GetValue<string>().Contains("pay+1", StringComparison.Ordinal), TestSandbox.Deadline, ct);
        var notification = viaTopic.Event!["Records"]![0]!["Sns"]!;
        Assert.Equal("Amazon S3 Notification", notification["Subject"]!.GetValue<string>());
        AssertRecordOfPut(JsonNode.Parse(notification["Message"]!.GetValue<string>())!["Records"]![0]!, put, "to-topic");
        var message = Assert.Single((await sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10 }, ct)).Messages);
        AssertRecordOfPut(JsonNode.Parse(message.Body)!["Records"]![0]!, put, "to-queue");
        Assert.Single(sandbox.Functions.Invocations.Snapshot(), i => i.FunctionName == "archive-receipt");

        var copy = await s3.CopyObjectAsync("receipts", "receipts/pay 1.json", "receipts", "receipts/copy.json", ct);
        var copied = await sandbox.Functions.Invocations.WaitForAsync(i => i.FunctionName == "archive-receipt" && i.Event!["Records"]![0]!["eventName"]!.GetValue<string>() == "ObjectCreated:Copy", TestSandbox.Deadline, ct);
        Assert.Equal(copy.ResponseMetadata.RequestId, copied.Event!["Records"]![0]!["responseElements"]!["x-amz-request-id"]!.GetValue<string>());
        Assert.Equal(put.ETag, copy.ETag);
    }

    private static void AssertRecordOfPut(JsonNode record, PutObjectResponse put, string configurationId)
    {
        Assert.Equal("aws:s3", record["eventSource"]!.GetValue<string>());
        Assert.Equal("ObjectCreated:Put", record["eventName"]!.GetValue<string>());
        Assert.Equal(put.ResponseMetadata.RequestId, record["responseElements"]!["x-amz-request-id"]!.GetValue<string>());
        Assert.Equal(configurationId, record["s3"]!["configurationId"]!.GetValue<string>());
        Assert.Equal("receipts", record["s3"]!["bucket"]!["name"]!.GetValue<string>());
        Assert.Equal("receipts/pay+1.json", record["s3"]!["object"]!["key"]!.GetValue<string>());
        Assert.Equal(put.ETag.Trim('"'), record["s3"]!["object"]!["eTag"]!.GetValue<string>());
        Assert.Equal(2, record["s3"]!["object"]!["size"]!.GetValue<int>());
    }
}
