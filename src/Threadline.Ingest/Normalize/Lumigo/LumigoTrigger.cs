using System.Text.Json;

namespace Threadline.Ingest.Normalize.Lumigo;

/// <summary>
/// What the function span's <c>info.trigger</c> says, in the contract's terms (docs/correlation-attributes.md): the
/// trigger kind and resource of the outermost trigger, and the inbound correlation keys of every trigger (an SNS
/// message inside an SQS message is a second, inner trigger). Lumigo's DynamoDB ids (an MD5 of the keys) match nothing
/// of ours, so DynamoDB triggers give no key; Kinesis keys are read from the event, which has the shard and stream.
/// </summary>
internal sealed record LumigoTrigger(string? Kind, string FaasTrigger, string? Resource, IReadOnlyList<string> Keys)
{
    public static LumigoTrigger Read(JsonElement span, string? eventJson)
    {
        var triggers = LumigoJson.Items(LumigoJson.Path(span, "info", "trigger")).Where(t => t.ValueKind == JsonValueKind.Object).ToList();
        var keys = new List<string>();
        foreach (var trigger in triggers)
        {
            var by = LumigoJson.String(trigger, "triggeredBy");
            var ids = LumigoJson.Items(LumigoJson.Child(trigger, "fromMessageIds")).Select(LumigoJson.Text).OfType<string>().ToList();
            switch (by)
            {
                case "sqs": keys.AddRange(ids.Select(id => "sqs:msg:" + id)); break;
                case "sns": keys.AddRange(ids.Select(id => "sns:msg:" + id)); break;
                case "eventBridge": keys.AddRange(ids.Select(id => "events:evt:" + id)); break;
                case "s3": keys.AddRange(ids.Take(1).Select(id => "s3:req:" + id)); break;
                // The first id is the API Gateway request id; the others are W3C tracestate values.
                case "apigw": keys.AddRange(ids.Take(1).Select(id => "apigw:req:" + id)); break;
                case "kinesis": keys.AddRange(KinesisKeys(eventJson)); break;
            }
        }
        var outer = triggers.FirstOrDefault(t => LumigoJson.String(t, "targetId") is null);
        if (outer.ValueKind != JsonValueKind.Object)
            outer = triggers.FirstOrDefault();
        var outerBy = outer.ValueKind == JsonValueKind.Object ? LumigoJson.String(outer, "triggeredBy") : null;
        var kind = outerBy switch
        {
            "sqs" => "sqs",
            "sns" => "sns",
            "eventBridge" => "eventbridge",
            "kinesis" => "kinesis",
            "dynamodb" => "dynamodb",
            "s3" => "s3",
            "apigw" => eventJson?.Contains("\"version\":\"2.0\"", StringComparison.Ordinal) == true ? "apigatewayv2" : "apigateway",
            "invocation" => "invoke",
            null => null,
            var other => other,
        };
        var faasTrigger = kind switch
        {
            "apigateway" or "apigatewayv2" => "http",
            "sqs" or "sns" or "eventbridge" or "kinesis" => "pubsub",
            "dynamodb" or "s3" => "datasource",
            _ => "other",
        };
        var arn = outer.ValueKind == JsonValueKind.Object ? LumigoJson.String(LumigoJson.Path(outer, "extra", "arn")) : null;
        return new LumigoTrigger(kind, faasTrigger, ResourceOfArn(arn), [.. keys.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The name at the end of an ARN: a queue, topic, stream (after <c>stream/</c>) or bucket.</summary>
    public static string? ResourceOfArn(string? arn)
    {
        if (arn is null)
            return null;
        var last = arn[(arn.LastIndexOf(':') + 1)..];
        var slash = last.LastIndexOf('/');
        return slash >= 0 ? last[(slash + 1)..] : last.Length > 0 ? last : null;
    }

    private static IEnumerable<string> KinesisKeys(string? eventJson)
    {
        if (eventJson is null)
            return [];
        try
        {
            using var document = JsonDocument.Parse(eventJson);
            var keys = new List<string>();
            foreach (var record in LumigoJson.Items(LumigoJson.Child(document.RootElement, "Records")))
            {
                var eventId = LumigoJson.String(record, "eventID");
                var stream = LumigoJson.String(record, "eventSourceARN") is { } arn && arn.IndexOf(":stream/", StringComparison.Ordinal) is var at and >= 0
                    ? arn[(at + ":stream/".Length)..].Split('/')[0]
                    : null;
                var sequence = LumigoJson.String(LumigoJson.Path(record, "kinesis", "sequenceNumber"));
                var colon = eventId?.IndexOf(':') ?? -1;
                if (stream is not null && sequence is not null && colon > 0)
                    keys.Add($"kinesis:rec:{stream}/{eventId![..colon]}/{sequence}");
            }
            return keys;
        }
        catch (JsonException)
        {
            // The event was truncated by the tracer; Kinesis records then give no key.
            return [];
        }
    }
}
