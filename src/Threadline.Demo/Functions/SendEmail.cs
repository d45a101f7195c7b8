using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Threadline.Demo.Hosting;
using Threadline.Sandbox.Functions;
using Threadline.Tracer;

namespace Threadline.Demo.Functions;

/// <summary>
/// Mails through the Twilio-like API: payment receipts from the payments table's stream, and the lunch menu from
/// the SNS topic (directly, or through lunch-queue). Version 1 uses a separate template for VIP receipts;
/// version 2 uses one template per locale with the tier as a parameter.
/// </summary>
internal static class SendEmail
{
    public const string LunchTemplate = "lunch-menu";

    /// <summary>The receipt templates version 1 relies on that the messaging provider drops during the scenario.</summary>
    public static readonly string[] VipTemplatesDropped = ["payment-receipt-vip-de", "payment-receipt-vip-fr", "payment-receipt-vip-es"];

    public static FunctionDefinition Definition(DemoContext demo, int version) => new(DemoNames.SendEmail, () =>
    {
        var twilio = new HttpClient { BaseAddress = demo.ThirdParties.Twilio };
        return async (input, _) =>
        {
            var records = input?["Records"]?.AsArray() ?? [];
            // The payments stream's mapping reports batch item failures, as AWS recommends: a rejected receipt fails
            // only its own record (and Lambda retries from it on). SNS and lunch-queue deliveries fail as a whole.
            var fromStream = records.FirstOrDefault()?["eventSource"]?.GetValue<string>() == "aws:dynamodb";
            var sent = new JsonArray();
            var response = await ThreadlineTracer.ForEachRecordAsync(records, async record =>
            {
                if (await SendAsync(twilio, record!, version).ConfigureAwait(false) is { } sid)
                    sent.Add(sid);
            }, reportBatchItemFailures: fromStream).ConfigureAwait(false);
            var result = response.ToJson();
            result["sent"] = sent;
            return result;
        };
    }) { MemoryMb = 256, Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Mails one record; the provider's message id, or null for a record that is no mail.</summary>
    private static async Task<JsonNode?> SendAsync(HttpClient twilio, JsonNode record, int version)
    {
        var source = (record["eventSource"] ?? record["EventSource"])?.GetValue<string>();
        var message = source switch
        {
            "aws:dynamodb" => Receipt(record["dynamodb"]!["NewImage"], version),
            "aws:sns" => Lunch(record["Sns"]!["Message"]!.GetValue<string>()),
            "aws:sqs" => Lunch(JsonNode.Parse(record["body"]!.GetValue<string>())!["Message"]!.GetValue<string>()),
            _ => null,
        };
        if (message is null)
            return null;
        using var response = await twilio.PostAsJsonAsync("2010-04-01/Messages.json", message).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new EmailRejectedException($"Twilio rejected the mail to {message["to"]} ({message["template"]}): {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)?["sid"]?.DeepClone();
    }

    private static JsonObject? Receipt(JsonNode? image, int version)
    {
        if (image is null)
            return null;
        var vip = image["vip"]?["BOOL"]?.GetValue<bool>() ?? false;
        var locale = image["locale"]?["S"]?.GetValue<string>() ?? "en";
        var template = version == 1 && vip ? $"payment-receipt-vip-{locale}" : $"payment-receipt-{locale}";
        return new JsonObject
        {
            ["to"] = image["email"]?["S"]?.GetValue<string>(),
            ["template"] = template,
            ["data"] = new JsonObject
            {
                ["paymentId"] = image["paymentId"]?["S"]?.GetValue<string>(),
                ["userId"] = image["userId"]?["S"]?.GetValue<string>(),
                ["amount"] = image["amount"]?["N"]?.GetValue<string>(),
                ["tier"] = vip ? "vip" : "standard",
            },
        };
    }

    private static JsonObject Lunch(string menu) => new()
    {
        ["to"] = "team@example.com",
        ["template"] = LunchTemplate,
        ["data"] = new JsonObject { ["menu"] = menu },
    };
}

/// <summary>The messaging provider refused a mail.</summary>
public sealed class EmailRejectedException(string message) : Exception(message);
