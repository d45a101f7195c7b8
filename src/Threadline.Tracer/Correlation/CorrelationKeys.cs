namespace Threadline.Tracer.Correlation;

/// <summary>The <c>service:kind:value</c> keys of docs/correlation-attributes.md; producer and consumer sides both build them here.</summary>
internal static class CorrelationKeys
{
    public static string SqsMessage(string messageId) => "sqs:msg:" + messageId;

    public static string SnsMessage(string messageId) => "sns:msg:" + messageId;

    public static string Event(string eventId) => "events:evt:" + eventId;

    public static string KinesisRecord(string stream, string shardId, string sequenceNumber) =>
        $"kinesis:rec:{stream}/{shardId}/{sequenceNumber}";

    public static string S3Request(string requestId) => "s3:req:" + requestId;

    public static string S3Object(string bucket, string key, string etag) => $"s3:obj:{bucket}/{key}/{etag.Trim('"')}";

    public static string LambdaRequest(string requestId) => "lambda:req:" + requestId;

    public static string ApiGatewayRequest(string requestId) => "apigw:req:" + requestId;

    public static string DynamoDbItem(string table, string pairs) => $"dynamodb:item:{table}/{pairs}";

    /// <summary>The last segment of an ARN or URL: queue, topic, rule or function name.</summary>
    public static string? LastSegment(string? arnOrUrl)
    {
        if (string.IsNullOrEmpty(arnOrUrl))
            return null;
        var trimmed = arnOrUrl.TrimEnd('/');
        var cut = trimmed.LastIndexOfAny([':', '/']);
        return cut >= 0 ? trimmed[(cut + 1)..] : trimmed;
    }

    /// <summary>The name after <paramref name="marker"/> in an ARN, e.g. <c>table/</c> or <c>stream/</c>.</summary>
    public static string? ArnResource(string? arn, string marker)
    {
        if (string.IsNullOrEmpty(arn))
            return null;
        var at = arn.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var rest = arn[(at + marker.Length)..];
        var end = rest.IndexOf('/');
        return end >= 0 ? rest[..end] : rest;
    }
}
