using System.Globalization;
using System.Text.Json.Nodes;
using Threadline.Sandbox.Protocol;

namespace Threadline.Sandbox.Sqs;

/// <summary>The SQS operations on the wire.</summary>
public sealed partial class SqsService
{
    private static readonly string[] AllSystemAttributes =
        ["ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp", "AWSTraceHeader"];

    async Task<JsonNode> IJsonService.HandleAsync(string operation, JsonObject input, AwsCall call, CancellationToken cancellationToken) => operation switch
    {
        "CreateQueue" => new JsonObject { ["QueueUrl"] = CreateQueue(input.RequiredString("QueueName"), StringMap(input.OptionalObject("Attributes"))) },
        "GetQueueUrl" => new JsonObject { ["QueueUrl"] = Find(input.RequiredString("QueueName")).Url },
        "ListQueues" => ListQueues(input.OptionalString("QueueNamePrefix") ?? ""),
        "DeleteQueue" => DeleteQueue(input.RequiredString("QueueUrl")),
        "GetQueueAttributes" => GetQueueAttributes(Find(input.RequiredString("QueueUrl"))),
        "SetQueueAttributes" => SetQueueAttributes(input),
        "PurgeQueue" => Purge(Find(input.RequiredString("QueueUrl"))),
        "SendMessage" => SendMessage(input, call),
        "SendMessageBatch" => SendMessageBatch(input, call),
        "ReceiveMessage" => await ReceiveMessageAsync(input, cancellationToken).ConfigureAwait(false),
        "DeleteMessage" => DeleteMessage(input),
        "DeleteMessageBatch" => DeleteMessageBatch(input),
        "ChangeMessageVisibility" => ChangeMessageVisibility(input),
        _ => throw new AwsException("InvalidAction", $"The action {operation} is not valid for this endpoint."),
    };

    private static Dictionary<string, string> StringMap(JsonObject? json) =>
        json?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal) ?? [];

    private static Dictionary<string, MessageAttribute> Attributes(JsonObject? json) =>
        json?.ToDictionary(p => p.Key, p => MessageAttribute.FromApiJson(p.Value as JsonObject ?? []), StringComparer.Ordinal) ?? [];

    private JsonObject ListQueues(string prefix)
    {
        lock (_lock)
        {
            return new JsonObject { ["QueueUrls"] = new JsonArray([.. _queues.Values.Where(q => q.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(q => (JsonNode)q.Url)]) };
        }
    }

    private JsonObject DeleteQueue(string url)
    {
        var queue = Find(url);
        lock (_lock)
        {
            _queues.Remove(queue.Name);
        }

        return [];
    }

    private JsonObject GetQueueAttributes(SqsQueue queue)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var attributes = new JsonObject
            {
                ["QueueArn"] = queue.Arn,
                ["ApproximateNumberOfMessages"] = queue.Messages.Count(m => m.VisibleAt <= now).ToString(CultureInfo.InvariantCulture),
                ["ApproximateNumberOfMessagesNotVisible"] = queue.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount > 0).ToString(CultureInfo.InvariantCulture),
                ["ApproximateNumberOfMessagesDelayed"] = queue.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount == 0).ToString(CultureInfo.InvariantCulture),
                ["VisibilityTimeout"] = ((int)queue.VisibilityTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["DelaySeconds"] = ((int)queue.Delay.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["CreatedTimestamp"] = queue.Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            };
            if (queue.RedrivePolicy is { } redrive)
            {
                attributes["RedrivePolicy"] = redrive;
            }

            return new JsonObject { ["Attributes"] = attributes };
        }
    }

    private JsonObject SetQueueAttributes(JsonObject input)
    {
        var queue = Find(input.RequiredString("QueueUrl"));
        lock (_lock)
        {
            SetAttributes(queue, StringMap(input.OptionalObject("Attributes")));
        }

        return [];
    }

    private JsonObject Purge(SqsQueue queue)
    {
        lock (_lock)
        {
            queue.Messages.Clear();
        }

        return [];
    }

    private JsonObject SendMessage(JsonObject input, AwsCall call)
    {
        var queue = Find(input.RequiredString("QueueUrl"));
        SqsMessage message;
        lock (_lock)
        {
            message = Enqueue(queue, input.RequiredString("MessageBody"), Attributes(input.OptionalObject("MessageAttributes")),
                TraceHeaderOf(input, call), TimeSpan.FromSeconds(input.OptionalInt("DelaySeconds") ?? 0));
        }

        return SentJson(message, new JsonObject());
    }

    private JsonObject SendMessageBatch(JsonObject input, AwsCall call)
    {
        var queue = Find(input.RequiredString("QueueUrl"));
        var entries = input.Objects("Entries").ToList();
        if (entries.Count is 0 or > 10)
        {
            throw new AwsException(entries.Count == 0 ? "EmptyBatchRequest" : "TooManyEntriesInBatchRequest", "A batch holds 1 to 10 entries.");
        }

        var successful = new JsonArray();
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                var message = Enqueue(queue, entry.RequiredString("MessageBody"), Attributes(entry.OptionalObject("MessageAttributes")),
                    TraceHeaderOf(entry, call), TimeSpan.FromSeconds(entry.OptionalInt("DelaySeconds") ?? 0));
                successful.Add(SentJson(message, new JsonObject { ["Id"] = entry.RequiredString("Id") }));
            }
        }

        return new JsonObject { ["Successful"] = successful, ["Failed"] = new JsonArray() };
    }

    private static string? TraceHeaderOf(JsonObject input, AwsCall call) =>
        input.OptionalObject("MessageSystemAttributes")?["AWSTraceHeader"]?["StringValue"]?.GetValue<string>() ?? call.TraceHeader;

    private static JsonObject SentJson(SqsMessage message, JsonObject json)
    {
        json["MessageId"] = message.Id;
        json["MD5OfMessageBody"] = message.Md5OfBody;
        if (message.Md5OfAttributes is { } md5)
        {
            json["MD5OfMessageAttributes"] = md5;
        }

        return json;
    }

    private async Task<JsonObject> ReceiveMessageAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var queue = Find(input.RequiredString("QueueUrl"));
        var max = input.OptionalInt("MaxNumberOfMessages") ?? 1;
        var visibility = input.OptionalInt("VisibilityTimeout") is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(input.OptionalInt("WaitTimeSeconds") ?? 0);
        var received = Receive(queue, max, visibility);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping); // long polls end with the sandbox
        while (received.Count == 0 && _time.GetUtcNow() < deadline)
        {
            await queue.Arrived.WaitAsync(UntilNextVisible(queue, deadline - _time.GetUtcNow()), _time, waiting.Token).ConfigureAwait(false);
            received = Receive(queue, max, visibility);
        }

        var systemNames = input.Array("MessageSystemAttributeNames").Concat(input.Array("AttributeNames"))
            .Select(n => n?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var attributeNames = input.Array("MessageAttributeNames").Select(n => n?.GetValue<string>() ?? "").ToList();
        return new JsonObject { ["Messages"] = new JsonArray([.. received.Select(m => (JsonNode)ReceivedJson(m, systemNames, attributeNames))]) };
    }

    private JsonObject ReceivedJson(SqsMessage message, HashSet<string?> systemNames, List<string> attributeNames)
    {
        var json = new JsonObject
        {
            ["MessageId"] = message.Id,
            ["ReceiptHandle"] = message.ReceiptHandle,
            ["MD5OfBody"] = message.Md5OfBody,
            ["Body"] = message.Body,
        };
        var system = SystemAttributes(message);
        var wanted = new JsonObject();
        foreach (var (name, value) in system)
        {
            if (systemNames.Contains("All") || systemNames.Contains(name))
            {
                wanted[name] = value;
            }
        }

        if (wanted.Count > 0)
        {
            json["Attributes"] = wanted;
        }

        var selected = message.Attributes
            .Where(a => attributeNames.Any(n => n is "All" or ".*" || n == a.Key || (n.EndsWith(".*", StringComparison.Ordinal) && a.Key.StartsWith(n[..^1], StringComparison.Ordinal))))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        if (selected.Count > 0)
        {
            json["MD5OfMessageAttributes"] = SqsMessage.AttributesMd5(selected);
            json["MessageAttributes"] = new JsonObject(selected.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value.ToApiJson())));
        }

        return json;
    }

    /// <summary>The system attributes of a received message, as ReceiveMessage and Lambda SQS events report them.</summary>
    internal Dictionary<string, string> SystemAttributes(SqsMessage message)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ApproximateReceiveCount"] = message.ReceiveCount.ToString(CultureInfo.InvariantCulture),
            ["SentTimestamp"] = message.Sent.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["SenderId"] = _arns.AccountId,
            ["ApproximateFirstReceiveTimestamp"] = (message.FirstReceived ?? message.Sent).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        if (message.TraceHeader is { } trace)
        {
            attributes["AWSTraceHeader"] = trace;
        }

        return attributes;
    }

    private JsonObject DeleteMessage(JsonObject input)
    {
        var queue = Find(input.RequiredString("QueueUrl"));
        var handle = input.RequiredString("ReceiptHandle");
        Delete(queue, handle);
        return [];
    }

    private JsonObject DeleteMessageBatch(JsonObject input)
    {
        var queue = Find(input.RequiredString("QueueUrl"));
        var successful = new JsonArray();
        foreach (var entry in input.Objects("Entries"))
        {
            Delete(queue, entry.RequiredString("ReceiptHandle"));
            successful.Add(new JsonObject { ["Id"] = entry.RequiredString("Id") });
        }

        return new JsonObject { ["Successful"] = successful, ["Failed"] = new JsonArray() };
    }

    private JsonObject ChangeMessageVisibility(JsonObject input)
    {
        var queue = Find(input.RequiredString("QueueUrl"));
        ChangeVisibility(queue, input.RequiredString("ReceiptHandle"), TimeSpan.FromSeconds(input.OptionalInt("VisibilityTimeout") ?? 0));
        return [];
    }
}
