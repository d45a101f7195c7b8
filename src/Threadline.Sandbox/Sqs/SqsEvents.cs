using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Sqs;

/// <summary>The Lambda event shape of messages delivered by an SQS event-source mapping.</summary>
internal static class SqsEvents
{
    public static JsonObject Record(SqsMessage message, SqsQueue queue, IReadOnlyDictionary<string, string> systemAttributes, string region)
    {
        var record = new JsonObject
        {
            ["messageId"] = message.Id,
            ["receiptHandle"] = message.ReceiptHandle,
            ["body"] = message.Body,
            ["attributes"] = new JsonObject(systemAttributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
            ["messageAttributes"] = new JsonObject(message.Attributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value.ToEventJson()))),
            ["md5OfBody"] = message.Md5OfBody,
        };
        if (message.Md5OfAttributes is { } md5)
        {
            record["md5OfMessageAttributes"] = md5;
        }

        record["eventSource"] = "aws:sqs";
        record["eventSourceARN"] = queue.Arn;
        record["awsRegion"] = region;
        return record;
    }
}
