using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;
using Threadline.Tracer;

namespace Threadline.Demo.Functions;

/// <summary>Consumes payments-queue: records the payment in DynamoDB (whose stream mails the customer) and uploads a receipt to S3.</summary>
internal static class Notify
{
    public static FunctionDefinition Definition(DemoContext demo) => new(DemoNames.Notify, () =>
    {
        var table = demo.Clients.DynamoDb();
        var bucket = demo.Clients.S3();
        return async (input, _) =>
        {
            // Each message is its own record span, so the receipt mails its DynamoDB write causes are told apart by payment.
            var response = await ThreadlineTracer.ForEachRecordAsync(input?["Records"]?.AsArray() ?? [], async record =>
            {
                var payment = JsonNode.Parse(record!["body"]!.GetValue<string>())!.AsObject();
                var paymentId = payment["paymentId"]!.GetValue<string>();
                await table.PutItemAsync(new PutItemRequest
                {
                    TableName = DemoNames.PaymentsTable,
                    Item = new Dictionary<string, AttributeValue>
                    {
                        ["paymentId"] = new() { S = paymentId },
                        ["userId"] = new() { S = payment["userId"]!.GetValue<string>() },
                        ["email"] = new() { S = payment["email"]!.GetValue<string>() },
                        ["locale"] = new() { S = payment["locale"]!.GetValue<string>() },
                        ["vip"] = new() { BOOL = payment["vip"]!.GetValue<bool>() },
                        ["amount"] = new() { N = payment["amount"]!.GetValue<decimal>().ToString(CultureInfo.InvariantCulture) },
                        ["status"] = new() { S = "charged" },
                    },
                }).ConfigureAwait(false);
                await bucket.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = DemoNames.ReceiptsBucket,
                    Key = $"receipts/{paymentId}.json",
                    ContentBody = payment.ToJsonString(),
                    ContentType = "application/json",
                }).ConfigureAwait(false);
            }, reportBatchItemFailures: true).ConfigureAwait(false);
            return response.ToJson();
        };
    }) { MemoryMb = 256, Timeout = TimeSpan.FromSeconds(15) };
}
