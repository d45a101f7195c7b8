using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>The correlation key forms of the contract, and what each says about the hop it links.</summary>
public static class CorrelationKeys
{
    public const string SqsMessage = "sqs:msg:";
    public const string SnsMessage = "sns:msg:";
    public const string EventBridgeEvent = "events:evt:";
    public const string KinesisRecord = "kinesis:rec:";
    public const string S3Request = "s3:req:";
    public const string S3Object = "s3:obj:";
    public const string LambdaRequest = "lambda:req:";
    public const string ApiGatewayRequest = "apigw:req:";
    public const string DynamoDbItem = "dynamodb:item:";
    /// <summary>Not a contract key: a reference to one span, from a span link or a parent id.</summary>
    public const string Span = "span:";

    private static readonly (string Prefix, string Via, string Service)[] Forms =
    [
        (SqsMessage, Stitching.Via.SqsMessageId, HopService.Sqs),
        (SnsMessage, Stitching.Via.SnsMessageId, HopService.Sns),
        (EventBridgeEvent, Stitching.Via.EventBridgeEventId, HopService.EventBridge),
        (KinesisRecord, Stitching.Via.KinesisSequenceNumber, HopService.Kinesis),
        (S3Request, Stitching.Via.S3RequestId, HopService.S3),
        (S3Object, Stitching.Via.S3Object, HopService.S3),
        (LambdaRequest, Stitching.Via.LambdaRequestId, HopService.Lambda),
        (ApiGatewayRequest, Stitching.Via.ApiGatewayRequestId, HopService.ApiGateway),
        (DynamoDbItem, Stitching.Via.DynamoDbKey, HopService.DynamoDb),
    ];

    public static string ForSpan(UInt128 traceId, ulong spanId) =>
        $"{Span}{TelemetryIds.FormatTraceId(traceId)}/{TelemetryIds.FormatSpanId(spanId)}";

    /// <summary>The <c>via</c> of a contract key (null for span references and unknown forms).</summary>
    public static string? ViaOf(string key) => FormOf(key)?.Via;

    /// <summary>The hop service of a contract key (null for span references and unknown forms).</summary>
    public static string? ServiceOf(string key) => FormOf(key)?.Service;

    /// <summary>The stream, bucket or table a key names, for the forms that name one.</summary>
    public static string? ResourceOf(string key)
    {
        foreach (var prefix in (ReadOnlySpan<string>)[KinesisRecord, S3Object, DynamoDbItem])
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = key.AsSpan(prefix.Length);
                var slash = rest.IndexOf('/');
                return slash > 0 ? rest[..slash].ToString() : null;
            }
        }
        return null;
    }

    /// <summary>The key of a message id carried by OpenTelemetry messaging attributes.</summary>
    public static string? ForMessageId(string? messagingSystem, string? rpcService, string messageId)
    {
        var system = (messagingSystem ?? rpcService)?.ToLowerInvariant();
        return system switch
        {
            "aws_sqs" or "aws.sqs" or "sqs" => SqsMessage + messageId,
            "aws_sns" or "aws.sns" or "sns" => SnsMessage + messageId,
            _ => null,
        };
    }

    /// <summary>Parses a consumer-side <c>dynamodb:item:&lt;table&gt;/&lt;pairs&gt;</c> key.</summary>
    public static bool TryParseDynamoItem(string key, out string table, out string[] pairs)
    {
        table = "";
        pairs = [];
        if (!key.StartsWith(DynamoDbItem, StringComparison.Ordinal))
            return false;
        var rest = key[DynamoDbItem.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
            return false;
        table = rest[..slash];
        pairs = SortedPairs(rest[(slash + 1)..]);
        return pairs.Length > 0;
    }

    /// <summary>Splits <c>name=hash&amp;name=hash</c> into its pairs, sorted by ordinal order.</summary>
    public static string[] SortedPairs(string joined)
    {
        var pairs = joined.Split('&', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Array.Sort(pairs, StringComparer.Ordinal);
        return pairs;
    }

    private static (string Prefix, string Via, string Service)? FormOf(string key)
    {
        foreach (var form in Forms)
        {
            if (key.StartsWith(form.Prefix, StringComparison.Ordinal))
                return form;
        }
        return null;
    }
}
