using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>What triggered an invocation: a contract trigger kind (<c>sqs</c>, <c>apigateway</c>, …, or <c>http</c>
/// for a non-Lambda server) and the queue, topic, stream, table, bucket, bus or route it came from.</summary>
public sealed record Trigger(string? Kind, string? Resource);

/// <summary>
/// One execution of one function, or one local root / SERVER / CONSUMER span of a service that is not a Lambda
/// function. Derived from the spans of one trace; re-derived whenever more of them arrive.
/// </summary>
public sealed record Invocation
{
    public required InvocationId Id { get; init; }
    /// <summary>Function name for Lambda (<c>faas.name</c>, else from the ARN); the service name otherwise.</summary>
    public required string Function { get; init; }
    public required string Service { get; init; }
    public bool IsLambda { get; init; }
    /// <summary>The Lambda request id (<c>faas.invocation_id</c>); null for other services.</summary>
    public string? RequestId { get; init; }
    public UInt128 TraceId => Id.TraceId;
    public ulong SpanId => Id.SpanId;
    public required string Name { get; init; }
    public long StartTimeUnixNano { get; init; }
    public long EndTimeUnixNano { get; init; }
    public StatusCode Status { get; init; }
    public string? Error { get; init; }
    public bool ColdStart { get; init; }
    /// <summary>The tracer said the event is a redelivery (<c>threadline.trigger.retry</c>).</summary>
    public bool RetryFlag { get; init; }
    /// <summary>
    /// Filled by the engine's queries: <see cref="RetryFlag"/>, or another invocation of the same function consumed
    /// one of this invocation's message keys earlier (a duplicate delivery).
    /// </summary>
    public bool Retry { get; init; }
    public required Trigger Trigger { get; init; }
    /// <summary>Ids of the spans of this invocation (all in <see cref="TraceId"/>), in start order.</summary>
    public IReadOnlyList<ulong> SpanIds { get; init; } = [];
    public IReadOnlyList<InboundKey> Inbound { get; init; } = [];
    public IReadOnlyList<OutboundKey> Outbound { get; init; } = [];
    public IReadOnlyList<DynamoWrite> Writes { get; init; } = [];
    public IReadOnlyList<DynamoRead> Reads { get; init; } = [];
    /// <summary>When the engine first saw a span of this invocation (its clock).</summary>
    public DateTimeOffset FirstSeen { get; init; }

    public double DurationMs => (EndTimeUnixNano - StartTimeUnixNano) / 1e6;
}
