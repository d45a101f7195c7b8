using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;

namespace Threadline.Demo.Functions;

/// <summary>Triggered by the order-placed rule: records the customer's latest order in the loyalty table.</summary>
internal static class UpdateLoyalty
{
    public static FunctionDefinition Definition(DemoContext demo) => new(DemoNames.UpdateLoyalty, () =>
    {
        var table = demo.Clients.DynamoDb();
        return async (input, _) =>
        {
            var detail = input?["detail"];
            var userId = detail?["userId"]?.GetValue<string>() ?? "anonymous";
            var amount = detail?["amount"]?.GetValue<decimal>() ?? 0m;
            await table.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = DemoNames.LoyaltyTable,
                Key = new Dictionary<string, AttributeValue> { ["userId"] = new() { S = userId } },
                UpdateExpression = "SET lastPayment = :payment, lastAmount = :amount, tier = :tier",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":payment"] = new() { S = detail?["paymentId"]?.GetValue<string>() ?? "" },
                    [":amount"] = new() { N = amount.ToString(CultureInfo.InvariantCulture) },
                    [":tier"] = new() { S = detail?["vip"]?.GetValue<bool>() == true ? "vip" : "standard" },
                },
            }).ConfigureAwait(false);
            return new JsonObject { ["userId"] = userId };
        };
    }) { MemoryMb = 128, Timeout = TimeSpan.FromSeconds(5) };
}
