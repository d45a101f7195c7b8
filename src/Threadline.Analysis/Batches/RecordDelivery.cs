namespace Threadline.Analysis.Batches;

/// <summary>What happened to one record in one delivery (one invocation of a batch consumer).</summary>
public enum DeliveryResult
{
    /// <summary>Processed; it will not come back.</summary>
    Succeeded,
    /// <summary>Its own processing failed: its record span failed, or the partial batch response named it.</summary>
    Failed,
    /// <summary>It was fine or never reached, and comes back only because a batch-mate failed.</summary>
    RetriedForOthers,
    /// <summary>The whole batch failed and nothing tells which record did (no partial response, no record spans).</summary>
    BatchFailed,
}

/// <summary>
/// One record of a consumed batch in one delivery: <see cref="Key"/> is its own correlation key (<c>sqs:msg:…</c>,
/// <c>kinesis:rec:…</c>, <c>dynamodb:item:…</c>, <c>sns:msg:…</c>), <see cref="Keys"/> every key it carries (an SNS
/// envelope inside an SQS body adds its <c>sns:msg:…</c>).
/// </summary>
public sealed record RecordDelivery(string Key, IReadOnlyList<string> Keys, DeliveryResult Result);
