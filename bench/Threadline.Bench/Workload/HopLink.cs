namespace Threadline.Bench.Workload;

/// <summary>
/// What the producer side of a hop hands to the consumer side: the correlation key both record (per
/// docs/correlation-attributes.md), where the message went, and for in-band context the producer's span.
/// </summary>
internal sealed record HopLink(HopKind Kind, string Resource, string? TriggerKey, UInt128 ProducerTraceId, ulong ProducerSpanId)
{
    /// <summary>DynamoDB Streams: the record's ApproximateCreationDateTime in Unix ms.</summary>
    public long? RecordTimeMs { get; init; }

    /// <summary>Lambda Invoke: the child's request id, which is also its <c>faas.invocation_id</c>.</summary>
    public string? InvocationId { get; init; }
}
