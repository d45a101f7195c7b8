using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Batches;

/// <summary>
/// Who one record of a batch is: its correlation keys (the first is the record's own, e.g. <c>sqs:msg:…</c>; an SNS
/// envelope inside an SQS body adds its <c>sns:msg:…</c>), the <c>itemIdentifier</c> a partial batch response names it
/// by (the message id for SQS, the sequence number for Kinesis and DynamoDB Streams), and whether its source is a
/// stream (a stream retries from the first failed record on, a queue only the failed ones).
/// </summary>
internal sealed record BatchRecordIdentity(IReadOnlyList<string> Keys, string? ItemIdentifier, bool Stream)
{
    public string? Key => Keys.Count > 0 ? Keys[0] : null;

    public static BatchRecordIdentity? Of(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
            return null;
        switch (record.Str("eventSource") ?? record.Str("EventSource"))
        {
            case "aws:sqs":
            {
                var messageId = record.Str("messageId");
                if (messageId is null)
                    return null;
                var keys = new List<string> { CorrelationKeys.SqsMessage(messageId) };
                using (var nested = JsonRead.ParseNested(record.Str("body")))
                {
                    if (nested?.RootElement is { ValueKind: JsonValueKind.Object } envelope && envelope.Str("Type") == "Notification"
                        && envelope.Str("MessageId") is { } snsId)
                        keys.Add(CorrelationKeys.SnsMessage(snsId));
                }
                return new BatchRecordIdentity(keys, messageId, Stream: false);
            }
            case "aws:sns":
                return record.Str("Sns", "MessageId") is { } id ? new BatchRecordIdentity([CorrelationKeys.SnsMessage(id)], id, Stream: false) : null;
            case "aws:kinesis":
            {
                var stream = CorrelationKeys.ArnResource(record.Str("eventSourceARN"), ":stream/");
                var shard = record.Str("eventID")?.Split(':')[0];
                var sequence = record.Str("kinesis", "sequenceNumber");
                return stream is null || shard is null || sequence is null
                    ? null
                    : new BatchRecordIdentity([CorrelationKeys.KinesisRecord(stream, shard, sequence)], sequence, Stream: true);
            }
            case "aws:dynamodb":
            {
                var table = CorrelationKeys.ArnResource(record.Str("eventSourceARN"), ":table/");
                var pairs = record.Path("dynamodb", "Keys") is { } k ? DynamoDbItemHash.Pairs(k) : null;
                return table is null || pairs is null
                    ? null
                    : new BatchRecordIdentity([CorrelationKeys.DynamoDbItem(table, pairs)], record.Str("dynamodb", "SequenceNumber"), Stream: true);
            }
            default:
                return null;
        }
    }

    /// <summary>The identities of an event's <c>Records</c>, in order (null entries for records it cannot name).</summary>
    public static IReadOnlyList<BatchRecordIdentity?> OfEvent(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object ? [.. root.Array("Records").Select(Of)] : [];
}
