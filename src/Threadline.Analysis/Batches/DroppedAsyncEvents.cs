using System.Text.Json;
using System.Text.Json.Nodes;

namespace Threadline.Analysis.Batches;

/// <summary>
/// Events Lambda dropped after the retries of an asynchronous invocation (an SNS delivery): the invocation record it
/// sends to the function's on-failure destination carries the event as <c>requestPayload</c>. It is observable when a
/// traced function consumes the destination queue or topic: the record is in that consumer's event.
/// </summary>
public static class DroppedAsyncEvents
{
    private const string Marker = "requestPayload";

    /// <summary>
    /// The record keys (<c>sns:msg:…</c>) of the events named by the invocation records in an SQS or SNS event (each
    /// message's body or SNS message); a message that is not such a record, or not JSON, names none.
    /// </summary>
    public static IReadOnlyList<string> KeysInEvent(string? eventJson)
    {
        if (eventJson is null || !eventJson.Contains(Marker, StringComparison.Ordinal))
            return [];
        var keys = new List<string>();
        foreach (var record in Parse(eventJson)?["Records"] as JsonArray ?? [])
        {
            var message = record?["body"] ?? record?["Sns"]?["Message"];
            if (message is not JsonValue value || !value.TryGetValue<string>(out var text) || !text.Contains(Marker, StringComparison.Ordinal))
                continue;
            var invocationRecord = Parse(text);
            if (invocationRecord?["requestContext"]?["condition"] is null)
                continue;
            foreach (var dropped in invocationRecord[Marker]?["Records"] as JsonArray ?? [])
            {
                if (dropped?["Sns"]?["MessageId"] is JsonValue id && id.TryGetValue<string>(out var messageId))
                    keys.Add("sns:msg:" + messageId);
            }
        }
        return keys;
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null; // a truncated or malformed payload names no event
        }
    }
}
