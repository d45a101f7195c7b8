using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;

namespace Threadline.Sandbox.Tests;

/// <summary>
/// The demo's main path on the sandbox, functions using the real .NET SDK clients: every hop is linkable by an id
/// the producer saw and the consumer's event carries (see shared/reference/async-correlation.md).
/// </summary>
public sealed class PaymentFlowTests
{
    [Fact]
    public async Task ApiToFunctionToQueueToTableStreamAndUploadNotificationCarryTheProducersIds()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var sqs = AwsClients.Sqs(sandbox);
        using var dynamo = AwsClients.DynamoDb(sandbox);
        using var s3 = AwsClients.S3(sandbox);
        var queueUrl = (await sqs.CreateQueueAsync("payments-queue", ct)).QueueUrl;
        var streamArn = await DynamoDbTests.CreateTableAsync(dynamo, "payments", Amazon.DynamoDBv2.StreamViewType.NEW_AND_OLD_IMAGES);
        await s3.PutBucketAsync("receipts", ct);
        var produced = new ConcurrentDictionary<string, string>();

        sandbox.Functions.Deploy(new FunctionDefinition("process-payment", () =>
        {
            var client = AwsClients.Sqs(sandbox);
            return async (input, _) =>
            {
                var sent = await client.SendMessageAsync(queueUrl, input!["body"]!.GetValue<string>());
                produced["messageId"] = sent.MessageId;
                return new JsonObject { ["statusCode"] = 202, ["body"] = new JsonObject { ["messageId"] = sent.MessageId }.ToJsonString() };
            };
        }));
        sandbox.Functions.Deploy(new FunctionDefinition("notify", () =>
        {
            var table = AwsClients.DynamoDb(sandbox);
            var bucket = AwsClients.S3(sandbox);
            return async (input, _) =>
            {
                foreach (var record in input!["Records"]!.AsArray())
                {
                    var payment = JsonNode.Parse(record!["body"]!.GetValue<string>())!;
                    var (user, id) = (payment["user"]!.GetValue<string>(), payment["payment"]!.GetValue<string>());
                    await table.PutItemAsync("payments", DynamoDbTests.Item(user, id, ("status", "charged")));
                    var upload = await bucket.PutObjectAsync(new PutObjectRequest { BucketName = "receipts", Key = $"receipts/{id}.json", ContentBody = payment.ToJsonString() });
                    produced["s3RequestId"] = upload.ResponseMetadata.RequestId;
                    produced["eTag"] = upload.ETag.Trim('"');
                }

                return new JsonObject { ["batchItemFailures"] = new JsonArray() };
            };
        }));
        sandbox.Functions.Deploy(new FunctionDefinition("send-email", (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.Functions.Deploy(new FunctionDefinition("archive-receipt", (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.Mappings.Add(new EventSourceMappingConfig(sandbox.Arns.Queue("payments-queue"), "notify") { ReportBatchItemFailures = true });
        sandbox.Mappings.Add(new EventSourceMappingConfig(streamArn!, "send-email"));
        await s3.PutBucketNotificationAsync(new PutBucketNotificationRequest
        {
            BucketName = "receipts",
            LambdaFunctionConfigurations = [new() { FunctionArn = sandbox.Arns.Function("archive-receipt"), Events = [Amazon.S3.EventType.ObjectCreatedAll] }],
        }, ct);
        var api = sandbox.ApiGateway.CreateApi("shop").Route("POST /payments", "process-payment");

        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(api.Url, "payments"), new StringContent("""{"user":"vip-7","payment":"p-1"}""", Encoding.UTF8, "application/json"), ct);
        string[] functions = ["process-payment", "notify", "send-email", "archive-receipt"];
        var all = await sandbox.Functions.Invocations.WaitUntilAsync(i => functions.All(f => i.Any(x => x.FunctionName == f)), TestSandbox.Deadline, ct);
        InvocationRecord Of(string function) => Assert.Single(all, i => i.FunctionName == function);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Of("process-payment").Event!["requestContext"]!["requestId"]!.GetValue<string>(), Assert.Single(response.Headers.GetValues("apigw-requestid")));
        Assert.Equal(produced["messageId"], Of("notify").Event!["Records"]![0]!["messageId"]!.GetValue<string>());
        var change = Of("send-email").Event!["Records"]![0]!;
        Assert.Equal("INSERT", change["eventName"]!.GetValue<string>());
        Assert.Equal("""{"userId":{"S":"vip-7"},"paymentId":{"S":"p-1"}}""", change["dynamodb"]!["Keys"]!.ToJsonString());
        var upload = Of("archive-receipt").Event!["Records"]![0]!;
        Assert.Equal(produced["s3RequestId"], upload["responseElements"]!["x-amz-request-id"]!.GetValue<string>());
        Assert.Equal(produced["eTag"], upload["s3"]!["object"]!["eTag"]!.GetValue<string>());
        Assert.Equal("receipts/p-1.json", upload["s3"]!["object"]!["key"]!.GetValue<string>());
        Assert.All(all, i => Assert.False(i.Failed, i.Error?.ErrorMessage));
    }
}
