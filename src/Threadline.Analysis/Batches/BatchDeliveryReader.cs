using Threadline.Analysis.Ingest;
using Threadline.Telemetry;

namespace Threadline.Analysis.Batches;

/// <summary>The records of one batch delivery, what happened to each, and which span processed which record.</summary>
public sealed record BatchDelivery(IReadOnlyList<RecordDelivery> Records, IReadOnlyDictionary<ulong, string> RecordOfSpan, SpanDetails? FirstFailedRecordSpan)
{
    public static readonly BatchDelivery None = new([], new Dictionary<ulong, string>(), null);
}

/// <summary>
/// Reads what one invocation of a batch consumer (SQS, SNS, Kinesis, DynamoDB Streams) did with each of its records,
/// from what is observable, most precise first:
/// <list type="number">
/// <item>record spans (the tracer's <c>ForEachRecordAsync</c>): a failed one is <see cref="DeliveryResult.Failed"/>;
/// one that succeeded or was never reached comes back only when the invocation failed as a whole;</item>
/// <item>the partial batch response (<c>threadline.trigger.failed_keys</c>): the named records failed; on a stream,
/// Lambda retries from the first named record on, so the later ones come back for others;</item>
/// <item>the invocation's status: a failed batch of one record failed itself; of several, attribution is per batch.</item>
/// </list>
/// </summary>
public static class BatchDeliveryReader
{
    private static readonly HashSet<string> BatchTriggers = ["sqs", "sns", "kinesis", "dynamodb"];
    private static readonly HashSet<string> StreamTriggers = ["kinesis", "dynamodb"];

    public static BatchDelivery Read(string? triggerKind, StatusCode status, SpanDetails? root, IReadOnlyList<SpanDetails> spans)
    {
        if (triggerKind is null || !BatchTriggers.Contains(triggerKind) || root is null || root.TriggerKeys.Count == 0)
            return BatchDelivery.None;
        var recordSpans = spans.Where(s => s.RecordKeys is not null).ToList();
        var records = Group(root.TriggerKeys, recordSpans);
        var spanOfRecord = new Dictionary<string, SpanDetails>(StringComparer.Ordinal);
        foreach (var span in recordSpans)
        {
            // A record processed twice in one invocation counts as failed if either attempt failed.
            if (!spanOfRecord.TryGetValue(span.RecordKeys![0], out var seen) || span.RecordFailed && !seen.RecordFailed)
                spanOfRecord[span.RecordKeys[0]] = span;
        }
        // A partial batch response is a success to Lambda (the tracer marks the span an error): only the named records come back.
        var failedWhole = status == StatusCode.Error && root.FailedKeys.Count == 0;
        var reported = root.FailedKeys.ToHashSet(StringComparer.Ordinal);
        var firstReported = records.FindIndex(r => r.Keys.Any(reported.Contains));
        var stream = StreamTriggers.Contains(triggerKind);
        var results = new List<RecordDelivery>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var (key, keys) = records[i];
            DeliveryResult result;
            if (spanOfRecord.TryGetValue(key, out var span))
                result = span.RecordFailed || keys.Any(reported.Contains) ? DeliveryResult.Failed
                    : failedWhole ? DeliveryResult.RetriedForOthers : DeliveryResult.Succeeded;
            else if (keys.Any(reported.Contains))
                result = DeliveryResult.Failed;
            else if (stream && firstReported >= 0 && i > firstReported)
                result = DeliveryResult.RetriedForOthers;
            else if (failedWhole)
                result = recordSpans.Count > 0 ? DeliveryResult.RetriedForOthers
                    : records.Count == 1 ? DeliveryResult.Failed : DeliveryResult.BatchFailed;
            else
                result = DeliveryResult.Succeeded;
            results.Add(new RecordDelivery(key, keys, result));
        }
        return new BatchDelivery(results, RecordOfSpan(spans, recordSpans), recordSpans.FirstOrDefault(s => s.RecordFailed));
    }

    /// <summary>The records in trigger-key order: a record span's keys are one record; any other key is a record of its own.</summary>
    private static List<(string Key, IReadOnlyList<string> Keys)> Group(IReadOnlyList<string> triggerKeys, List<SpanDetails> recordSpans)
    {
        var groupOf = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var span in recordSpans)
        {
            foreach (var key in span.RecordKeys!)
                groupOf.TryAdd(key, span.RecordKeys);
        }
        var records = new List<(string, IReadOnlyList<string>)>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in triggerKeys)
        {
            var keys = groupOf.GetValueOrDefault(key) ?? [key];
            if (taken.Add(keys[0]))
                records.Add((keys[0], keys));
        }
        return records;
    }

    /// <summary>Every span under a record span (the record span too), mapped to that record's key.</summary>
    private static Dictionary<ulong, string> RecordOfSpan(IReadOnlyList<SpanDetails> spans, List<SpanDetails> recordSpans)
    {
        var result = new Dictionary<ulong, string>();
        if (recordSpans.Count == 0)
            return result;
        var byId = spans.ToDictionary(s => s.SpanId);
        foreach (var span in spans)
        {
            for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
            {
                if (current.RecordKeys is { } keys)
                {
                    result[span.SpanId] = keys[0];
                    break;
                }
                if (current.ParentSpanId == 0 || current.ParentSpanId == current.SpanId)
                    break;
            }
        }
        return result;
    }
}
