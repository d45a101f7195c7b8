using System.Text.Json;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>Recognises the event shape and hands it to the parser of its kind; anything unknown is a direct invoke.</summary>
internal static class TriggerParser
{
    public static TriggerInfo Parse(ReadOnlyMemory<byte> eventJson, string? requestId)
    {
        if (eventJson.IsEmpty)
            return TriggerBuilder.Invoke(requestId);
        try
        {
            using var document = JsonDocument.Parse(eventJson);
            return Parse(document.RootElement, requestId);
        }
        catch (JsonException)
        {
            return TriggerBuilder.Invoke(requestId);
        }
    }

    public static TriggerInfo Parse(JsonElement root, string? requestId)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return TriggerBuilder.Invoke(requestId);
        var first = root.Array("Records").FirstOrDefault();
        if (first.ValueKind == JsonValueKind.Object)
        {
            var source = first.Str("eventSource") ?? first.Str("EventSource");
            switch (source)
            {
                case "aws:sqs": return SqsTriggerParser.Parse(root);
                case "aws:sns": return SnsTriggerParser.Parse(root);
                case "aws:kinesis": return KinesisTriggerParser.Parse(root);
                case "aws:dynamodb": return DynamoDbTriggerParser.Parse(root);
                case "aws:s3": return S3TriggerParser.Parse(root);
            }
        }
        if (root.Prop("requestContext") is { ValueKind: JsonValueKind.Object })
            return HttpTriggerParser.Parse(root);
        if (root.Str("detail-type") is not null && root.Str("source") is not null)
            return EventBridgeTriggerParser.Parse(root);
        return TriggerBuilder.Invoke(requestId);
    }
}
