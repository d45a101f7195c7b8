using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Threadline.Analysis.Batches;

/// <summary>
/// Stream records Lambda dropped after the last retry: the shard and sequence-number range named by the invocation
/// record it sends to a stream mapping's on-failure destination (<c>KinesisBatchInfo</c>). It is observable when a
/// traced function consumes the destination queue or topic: the record is in that consumer's event.
/// </summary>
public sealed record SkippedStreamRange(string Stream, string ShardId, BigInteger Start, BigInteger End)
{
    private const string Marker = "KinesisBatchInfo";
    private const string KinesisRecordPrefix = "kinesis:rec:";

    /// <summary><c>stream/shardId</c>, as in a Kinesis record key.</summary>
    public string Shard => $"{Stream}/{ShardId}";

    /// <summary>Whether the record key (<c>kinesis:rec:{stream}/{shardId}/{sequenceNumber}</c>) is in this range.</summary>
    public bool Covers(string recordKey) =>
        Parse(recordKey) is { } record && record.Shard == Shard && record.Sequence >= Start && record.Sequence <= End;

    /// <summary>The <c>stream/shardId</c> of a Kinesis record key; null for any other key.</summary>
    public static string? ShardOf(string recordKey) => Parse(recordKey)?.Shard;

    /// <summary>
    /// The ranges named by the invocation records in an SQS or SNS event (each message's body or SNS message); a
    /// message that is not such a record, or not JSON, names none.
    /// </summary>
    public static IReadOnlyList<SkippedStreamRange> FromEvent(string? eventJson)
    {
        if (eventJson is null || !eventJson.Contains(Marker, StringComparison.Ordinal))
            return [];
        var ranges = new List<SkippedStreamRange>();
        foreach (var record in Records(eventJson))
        {
            var message = record?["body"] ?? record?["Sns"]?["Message"];
            if (message is JsonValue value && value.TryGetValue<string>(out var text) && text.Contains(Marker, StringComparison.Ordinal)
                && FromInvocationRecord(text) is { } range)
            {
                ranges.Add(range);
            }
        }
        return ranges;
    }

    private static JsonArray Records(string eventJson)
    {
        try
        {
            return JsonNode.Parse(eventJson)?["Records"] as JsonArray ?? [];
        }
        catch (JsonException)
        {
            return []; // a truncated or malformed payload names no range
        }
    }

    private static SkippedStreamRange? FromInvocationRecord(string text)
    {
        try
        {
            var info = JsonNode.Parse(text)?[Marker];
            var arn = Str(info?["streamArn"]);
            var cut = arn?.IndexOf(":stream/", StringComparison.Ordinal) ?? -1;
            if (cut < 0 || Str(info?["shardId"]) is not { } shardId
                || !BigInteger.TryParse(Str(info?["startSequenceNumber"]), out var start)
                || !BigInteger.TryParse(Str(info?["endSequenceNumber"]), out var end))
            {
                return null;
            }
            var stream = arn![(cut + ":stream/".Length)..].Split('/')[0];
            return new SkippedStreamRange(stream, shardId, start, end);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static (string Shard, BigInteger Sequence)? Parse(string recordKey)
    {
        if (!recordKey.StartsWith(KinesisRecordPrefix, StringComparison.Ordinal))
            return null;
        var rest = recordKey[KinesisRecordPrefix.Length..];
        var cut = rest.LastIndexOf('/');
        return cut > 0 && BigInteger.TryParse(rest[(cut + 1)..], out var sequence) ? (rest[..cut], sequence) : null;
    }
}
