using System.Net;
using System.Text.Json;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Json;

namespace Threadline.Tracer.Triggers;

/// <summary>S3 notifications: the PUT's request id and bucket + URL-decoded key + ETag per record.</summary>
internal static class S3TriggerParser
{
    public static TriggerInfo Parse(JsonElement root)
    {
        var builder = new TriggerBuilder(TriggerKinds.S3, TriggerKinds.DataSource);
        foreach (var record in root.Array("Records"))
        {
            var bucket = record.Str("s3", "bucket", "name");
            builder.Resource ??= bucket;
            if (record.Str("responseElements", "x-amz-request-id") is { } requestId)
                builder.Key(CorrelationKeys.S3Request(requestId));
            var key = record.Str("s3", "object", "key");
            var etag = record.Str("s3", "object", "eTag");
            if (bucket is not null && key is not null && etag is not null)
                builder.Key(CorrelationKeys.S3Object(bucket, WebUtility.UrlDecode(key), etag));
        }
        return builder.Build();
    }
}
