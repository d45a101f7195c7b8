using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>
/// What stitching needs of one span, read once from its attributes (see <c>docs/correlation-attributes.md</c>).
/// Much smaller than the span: payloads are not kept.
/// </summary>
public sealed record SpanFacts
{
    public required UInt128 TraceId { get; init; }
    public required ulong SpanId { get; init; }
    public ulong ParentSpanId { get; init; }
    public required string Name { get; init; }
    public SpanKind Kind { get; init; }
    public required string Service { get; init; }
    public long StartTimeUnixNano { get; init; }
    public long EndTimeUnixNano { get; init; }
    public StatusCode Status { get; init; }
    public string? Error { get; init; }

    /// <summary><c>faas.invocation_id</c>: set on the root span of a Lambda invocation.</summary>
    public string? FaasInvocationId { get; init; }
    public string? FunctionName { get; init; }
    public bool? ColdStart { get; init; }
    public bool Retry { get; init; }
    /// <summary><c>faas.trigger</c> of a Lambda root span: the trigger kind of last resort.</summary>
    public string? FaasTrigger { get; init; }
    public string? TriggerKind { get; init; }
    public string? TriggerResource { get; init; }

    public IReadOnlyList<InboundKey> Inbound { get; init; } = [];
    /// <summary>DynamoDB Streams records; <see cref="long.MaxValue"/> as time when <c>threadline.trigger.times</c> lacked it.</summary>
    public IReadOnlyList<DynamoRead> Reads { get; init; } = [];
    public IReadOnlyList<string> OutboundKeys { get; init; } = [];
    public IReadOnlyList<DynamoWrite> Writes { get; init; } = [];

    /// <summary>The hop service of this span's outgoing call, when it is an AWS call or an HTTP client call.</summary>
    public string? CallService { get; init; }
    public string? CallResource { get; init; }
    /// <summary>The call is an AWS API call (so <see cref="CallService"/> names what was called).</summary>
    public bool IsAwsCall { get; init; }
    public bool AsyncInvoke { get; init; }

    public bool IsLambdaRoot => FaasInvocationId is not null;
}
