using Threadline.Tracer.Correlation;

namespace Threadline.Tracer.Aws;

/// <summary>
/// The correlation keys an AWS call produced, from its request and (unmarshalled) response objects and the
/// response headers; read before anything is scrubbed or truncated.
/// </summary>
internal static class OutboundKeys
{
    public static List<string> Extract(AwsOperation op, object? request, object? response, Func<string, string?> header)
    {
        var keys = new List<string>();
        switch (op.Service, op.Operation)
        {
            case ("SQS", "SendMessage"):
                Add(keys, Members.Str(response, "MessageId"), CorrelationKeys.SqsMessage);
                break;
            case ("SQS", "SendMessageBatch"):
                foreach (var entry in Members.Items(response, "Successful"))
                    Add(keys, Members.Str(entry, "MessageId"), CorrelationKeys.SqsMessage);
                break;
            case ("SNS", "Publish"):
                Add(keys, Members.Str(response, "MessageId"), CorrelationKeys.SnsMessage);
                break;
            case ("SNS", "PublishBatch"):
                foreach (var entry in Members.Items(response, "Successful"))
                    Add(keys, Members.Str(entry, "MessageId"), CorrelationKeys.SnsMessage);
                break;
            case ("EventBridge", "PutEvents"):
                foreach (var entry in Members.Items(response, "Entries"))
                    Add(keys, Members.Str(entry, "EventId"), CorrelationKeys.Event);
                break;
            case ("Kinesis", "PutRecord"):
                AddKinesis(keys, op.Resource, response);
                break;
            case ("Kinesis", "PutRecords"):
                foreach (var record in Members.Items(response, "Records"))
                {
                    if (string.IsNullOrEmpty(Members.Str(record, "ErrorCode")))
                        AddKinesis(keys, op.Resource, record);
                }
                break;
            case ("S3", "PutObject" or "CopyObject" or "CompleteMultipartUpload"):
                AddS3(keys, op, request, response, header);
                break;
            case ("Lambda", "Invoke" or "InvokeAsync" or "InvokeWithResponseStream"):
                Add(keys, header("x-amzn-RequestId") ?? RequestId(response), CorrelationKeys.LambdaRequest);
                break;
        }
        return keys;
    }

    public static string? RequestId(object? response) => Members.Str(Members.Get(response, "ResponseMetadata"), "RequestId");

    private static void AddKinesis(List<string> keys, string? stream, object? record)
    {
        var shard = Members.Str(record, "ShardId");
        var sequence = Members.Str(record, "SequenceNumber");
        if (stream is not null && shard is not null && sequence is not null)
            keys.Add(CorrelationKeys.KinesisRecord(stream, shard, sequence));
    }

    private static void AddS3(List<string> keys, AwsOperation op, object? request, object? response, Func<string, string?> header)
    {
        Add(keys, header("x-amz-request-id") ?? RequestId(response), CorrelationKeys.S3Request);
        var bucket = op.Operation == "CopyObject" ? Members.Str(request, "DestinationBucket") : Members.Str(request, "BucketName");
        var key = op.Operation == "CopyObject" ? Members.Str(request, "DestinationKey") : Members.Str(request, "Key");
        var etag = Members.Str(response, "ETag") ?? header("ETag");
        if (bucket is not null && key is not null && !string.IsNullOrEmpty(etag))
            keys.Add(CorrelationKeys.S3Object(bucket, key, etag));
    }

    private static void Add(List<string> keys, string? value, Func<string, string> format)
    {
        if (!string.IsNullOrEmpty(value))
            keys.Add(format(value));
    }
}
