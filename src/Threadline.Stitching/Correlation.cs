namespace Threadline.Stitching;

/// <summary>
/// An inbound correlation key of a consumer invocation: <paramref name="Key"/> is a contract key
/// (<c>sqs:msg:…</c>, …) or a span reference (<c>span:&lt;trace&gt;/&lt;span&gt;</c>) from a link or the parent id;
/// <paramref name="Via"/> names the source that yielded it (see <see cref="Via"/> constants).
/// </summary>
public sealed record InboundKey(string Key, string Via);

/// <summary>
/// An outbound correlation key: something one span of a producer invocation caused.
/// <paramref name="Service"/> and <paramref name="Resource"/> describe that span's call when known (an AWS call when
/// <paramref name="AwsCall"/>, else <c>http</c> and the host); <paramref name="Async"/> is set for a Lambda Invoke
/// answered with 202 (InvocationType=Event).
/// </summary>
public sealed record OutboundKey(string Key, ulong SpanId, string? Service, string? Resource, bool AwsCall = false, bool Async = false);

/// <summary>One item written to a DynamoDB table: the hashed pairs of its top-level scalar attributes.</summary>
public sealed record DynamoWrite(string Table, IReadOnlyList<string> Pairs, long TimeUnixNano, ulong SpanId);

/// <summary>One DynamoDB Streams record consumed: the hashed key pairs and the record's creation time.</summary>
public sealed record DynamoRead(string Table, IReadOnlyList<string> Pairs, long TimeUnixNano);

/// <summary>The names used in <see cref="Hop.Via"/>.</summary>
public static class Via
{
    public const string SqsMessageId = "sqs.messageId";
    public const string SnsMessageId = "sns.messageId";
    public const string EventBridgeEventId = "eventbridge.eventId";
    public const string KinesisSequenceNumber = "kinesis.sequenceNumber";
    public const string DynamoDbKey = "dynamodb.key";
    public const string S3RequestId = "s3.requestId";
    public const string S3Object = "s3.object";
    public const string LambdaRequestId = "lambda.requestId";
    public const string ApiGatewayRequestId = "apigateway.requestId";
    public const string OtelLink = "otel.link";
    public const string TraceParent = "traceparent";
    public const string XRay = "xray";
    public const string Parent = "parent";

    /// <summary>
    /// Lower is preferred when several sources link the same two invocations: ids first, then the S3 object
    /// (the same content put twice has the same ETag), then links, then the parent id.
    /// </summary>
    internal static int Rank(string via) => via switch
    {
        S3Object => 1,
        OtelLink => 2,
        TraceParent or XRay => 3,
        Parent => 4,
        _ => 0,
    };
}

/// <summary>The names used in <see cref="Hop.Service"/>.</summary>
public static class HopService
{
    public const string Sqs = "sqs";
    public const string Sns = "sns";
    public const string Kinesis = "kinesis";
    public const string DynamoDb = "dynamodb";
    public const string S3 = "s3";
    public const string EventBridge = "eventbridge";
    public const string Lambda = "lambda";
    public const string ApiGateway = "apigateway";
    public const string Http = "http";

    internal static bool IsAsync(string service) =>
        service is Sqs or Sns or Kinesis or DynamoDb or S3 or EventBridge;
}
