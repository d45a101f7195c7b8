using System.Text.Json;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Batches;

/// <summary>
/// The records of a batch event by the <c>itemIdentifier</c> a partial batch response uses, so the response the
/// handler returns can be told as the correlation keys of the records it reports failed.
/// </summary>
internal sealed class BatchItems
{
    private readonly Dictionary<string, BatchRecordIdentity> _byItem;

    private BatchItems(Dictionary<string, BatchRecordIdentity> byItem) => _byItem = byItem;

    /// <summary>The items of an SQS, Kinesis or DynamoDB Streams event; null for any other event.</summary>
    public static BatchItems? Of(ReadOnlyMemory<byte> eventJson, string triggerKind)
    {
        if (triggerKind is not ("sqs" or "kinesis" or "dynamodb") || eventJson.IsEmpty)
            return null;
        try
        {
            using var document = JsonDocument.Parse(eventJson);
            var byItem = new Dictionary<string, BatchRecordIdentity>(StringComparer.Ordinal);
            foreach (var identity in BatchRecordIdentity.OfEvent(document.RootElement))
            {
                if (identity?.ItemIdentifier is { } item)
                    byItem.TryAdd(item, identity);
            }
            return byItem.Count > 0 ? new BatchItems(byItem) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The keys of the records a handler's response reports in <c>batchItemFailures</c>, in response order; empty when
    /// the response is no partial batch response or reports none. Identifiers that name no record of the event are
    /// skipped (Lambda treats such a response as a failure of the whole batch, which the invocation's status shows).
    /// </summary>
    /// <summary>How many records the event has that a partial batch response can name.</summary>
    public int Count => _byItem.Count;

    public IReadOnlyList<string> FailedKeys(ReadOnlySpan<byte> responseJson, out int failedRecords)
    {
        failedRecords = 0;
        try
        {
            using var document = JsonDocument.Parse(responseJson.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object || document.RootElement.Prop("batchItemFailures") is not
                { ValueKind: JsonValueKind.Array } failures)
                return [];
            var keys = new List<string>();
            foreach (var failure in failures.EnumerateArray())
            {
                if (failure.Str("itemIdentifier") is { } item && _byItem.TryGetValue(item, out var identity) && !keys.Contains(identity.Keys[0]))
                {
                    failedRecords++;
                    keys.AddRange(identity.Keys.Where(k => !keys.Contains(k)));
                }
            }
            return keys;
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
