using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Threadline.Demo.AwsLite.EventBridge;
using Threadline.Demo.AwsLite.Kinesis;
using Threadline.Demo.AwsLite.Lambda;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Functions;

/// <summary>
/// <c>POST /payments</c>: asks fraud-check (Lambda Invoke), charges the PayPal-like API, queues the payment for
/// notify (SQS), announces the order (EventBridge) and records a click (Kinesis).
/// </summary>
internal static class ProcessPayment
{
    public static FunctionDefinition Definition(DemoContext demo) => new(DemoNames.ProcessPayment, () =>
    {
        var lambda = demo.Clients.Lambda();
        var sqs = demo.Clients.Sqs();
        var events = demo.Clients.EventBridge();
        var kinesis = demo.Clients.Kinesis();
        var payPal = new HttpClient { BaseAddress = demo.ThirdParties.PayPal };
        return async (input, context) =>
        {
            var payment = JsonNode.Parse(input?["body"]?.GetValue<string>() ?? "{}") as JsonObject ?? [];
            var paymentId = payment["paymentId"]?.GetValue<string>() ?? context.AwsRequestId;
            var userId = payment["userId"]?.GetValue<string>() ?? "anonymous";
            var vip = payment["vip"]?.GetValue<bool>() ?? false;
            Console.WriteLine($"payment {paymentId} of {payment["amount"]} for {userId}{(vip ? " (VIP)" : "")}");

            var fraud = await lambda.InvokeAsync(new InvokeRequest { FunctionName = DemoNames.FraudCheck, Payload = payment.ToJsonString() }).ConfigureAwait(false);
            var verdict = JsonNode.Parse(fraud.Payload!) ?? new JsonObject();
            if (verdict["allow"]?.GetValue<bool>() != true)
                return ApiResponses.Json(403, new JsonObject { ["paymentId"] = paymentId, ["reason"] = "fraud-check declined" });

            using var charged = await payPal.PostAsJsonAsync("v1/payments/charges", new JsonObject
            {
                ["intent"] = "CAPTURE",
                ["reference_id"] = paymentId,
                ["amount"] = new JsonObject { ["currency_code"] = "EUR", ["value"] = payment["amount"]?.DeepClone() },
            }).ConfigureAwait(false);
            charged.EnsureSuccessStatusCode();
            var chargeId = (await charged.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false))?["id"]?.GetValue<string>();

            var message = payment.DeepClone().AsObject();
            message["paymentId"] = paymentId;
            message["chargeId"] = chargeId;
            await sqs.SendMessageAsync(new SendMessageRequest
            {
                QueueUrl = demo.PaymentsQueueUrl,
                MessageBody = message.ToJsonString(),
                MessageAttributes = new Dictionary<string, MessageAttributeValue>
                {
                    ["userId"] = new() { DataType = "String", StringValue = userId },
                    ["vip"] = new() { DataType = "String", StringValue = vip ? "true" : "false" },
                },
            }).ConfigureAwait(false);

            await events.PutEventsAsync(new PutEventsRequest
            {
                Entries =
                [
                    new PutEventsRequestEntry
                    {
                        Source = DemoNames.ShopEventSource,
                        DetailType = DemoNames.OrderPlaced,
                        Detail = new JsonObject { ["paymentId"] = paymentId, ["userId"] = userId, ["vip"] = vip, ["amount"] = payment["amount"]?.DeepClone() }.ToJsonString(),
                    },
                ],
            }).ConfigureAwait(false);

            await kinesis.PutRecordAsync(new PutRecordRequest
            {
                StreamName = DemoNames.ClickstreamStream,
                PartitionKey = userId,
                Data = new MemoryStream(Encoding.UTF8.GetBytes(new JsonObject { ["event"] = "payment", ["userId"] = userId, ["paymentId"] = paymentId }.ToJsonString())),
            }).ConfigureAwait(false);

            return ApiResponses.Json(201, new JsonObject { ["paymentId"] = paymentId, ["chargeId"] = chargeId });
        };
    }) { MemoryMb = 512, Timeout = TimeSpan.FromSeconds(10) };
}
