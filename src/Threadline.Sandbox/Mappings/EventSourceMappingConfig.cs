namespace Threadline.Sandbox.Mappings;

/// <summary>Where a stream mapping starts reading.</summary>
public enum StartingPosition
{
    TrimHorizon,
    Latest,
}

/// <summary>
/// An event-source mapping as Lambda's CreateEventSourceMapping takes it: a queue, a DynamoDB stream or a
/// Kinesis stream, delivered in batches to a function.
/// </summary>
public sealed record EventSourceMappingConfig(string EventSourceArn, string FunctionName)
{
    /// <summary>Records per invocation at most; Lambda's defaults are 10 for SQS and 100 for streams.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Whether the function's <c>batchItemFailures</c> response marks only some records as failed.</summary>
    public bool ReportBatchItemFailures { get; init; }

    /// <summary>Streams: retries of a failed batch before it is skipped; -1 (Lambda's default) retries until it succeeds.</summary>
    public int MaximumRetryAttempts { get; init; } = -1;

    /// <summary>Streams: a batch whose invocation fails is split in two and each half retried on its own, down to one record.</summary>
    public bool BisectBatchOnFunctionError { get; init; }

    /// <summary>
    /// Streams: the queue or topic ARN that receives an invocation record (with the shard and sequence number range) for
    /// a batch skipped after its last retry (<c>DestinationConfig.OnFailure.Destination</c>).
    /// </summary>
    public string? OnFailureDestination { get; init; }

    public StartingPosition StartingPosition { get; init; } = StartingPosition.TrimHorizon;

    /// <summary>How long a poller gathers records before invoking with a batch that is not full (default none).</summary>
    public TimeSpan MaximumBatchingWindow { get; init; }

    /// <summary>SQS: concurrent pollers, each invoking with its own batch.</summary>
    public int MaximumConcurrency { get; init; } = 2;
}
