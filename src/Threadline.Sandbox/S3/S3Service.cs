using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Threadline.Sandbox.Protocol;
using Threadline.Sandbox.Sqs;

namespace Threadline.Sandbox.S3;

/// <summary>
/// S3 on its REST XML protocol, path-style addressing: buckets, objects (put, copy, get, head, delete, list) and event
/// notifications to a function, queue or topic whose <c>responseElements["x-amz-request-id"]</c> is the
/// <c>x-amz-request-id</c> of the request that caused them.
/// </summary>
public sealed class S3Service : IRestService
{
    private static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";
    private readonly Arns _arns;
    private readonly TimeProvider _time;
    private readonly Deliveries _deliveries;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, S3Bucket> _buckets = new(StringComparer.Ordinal);
    private long _sequencer = 0x0055AED6DCD90281;

    internal S3Service(Arns arns, TimeProvider time, Deliveries deliveries)
    {
        _arns = arns;
        _time = time;
        _deliveries = deliveries;
    }

    async Task IRestService.HandleAsync(HttpContext http)
    {
        var requestId = Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 8));
        http.Response.Headers["x-amz-request-id"] = requestId;
        http.Response.Headers["x-amz-id-2"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var raw = (http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/").Split('?')[0];
        var segments = raw.TrimStart('/').Split('/', 2);
        var bucket = Uri.UnescapeDataString(segments[0]);
        var key = segments.Length > 1 ? Uri.UnescapeDataString(segments[1]) : "";
        try
        {
            var operation = (http.Request.Method, bucket.Length > 0, key.Length > 0) switch
            {
                ("GET", false, _) => WriteXmlAsync(http, ListBuckets()),
                ("PUT", true, false) when http.Request.Query.ContainsKey("notification") => PutNotificationAsync(http, bucket),
                ("GET", true, false) when http.Request.Query.ContainsKey("notification") => WriteXmlAsync(http, GetNotification(bucket)),
                ("PUT", true, false) => CreateBucket(http, bucket),
                ("HEAD", true, false) => Head(bucket),
                ("DELETE", true, false) => DeleteBucket(http, bucket),
                ("GET", true, false) => WriteXmlAsync(http, List(bucket, http.Request.Query["prefix"].ToString())),
                ("PUT", true, true) when http.Request.Headers.ContainsKey("x-amz-copy-source") => CopyObjectAsync(http, bucket, key, requestId),
                ("PUT", true, true) => PutObjectAsync(http, bucket, key, requestId),
                ("GET", true, true) => GetObjectAsync(http, bucket, key, withBody: true),
                ("HEAD", true, true) => GetObjectAsync(http, bucket, key, withBody: false),
                ("DELETE", true, true) => DeleteObject(http, bucket, key, requestId),
                _ => throw new AwsException("NotImplemented", "A header or operation you provided implies functionality that is not emulated", 501),
            };
            await operation.ConfigureAwait(false);
        }
        catch (AwsException e)
        {
            http.Response.StatusCode = e.StatusCode;
            if (http.Request.Method != "HEAD")
            {
                await WriteXmlAsync(http, new XElement("Error",
                    new XElement("Code", e.Code), new XElement("Message", e.Message), new XElement("Resource", raw), new XElement("RequestId", requestId))).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteXmlAsync(HttpContext http, XElement body)
    {
        http.Response.ContentType = "application/xml";
        await http.Response.WriteAsync(new XDocument(new XDeclaration("1.0", "UTF-8", null), body).ToString(), http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        return AwsChunked.IsChunked(http.Request) ? AwsChunked.Decode(buffer.ToArray()) : buffer.ToArray();
    }

    private S3Bucket Bucket(string name) =>
        _buckets.TryGetValue(name, out var bucket) ? bucket : throw new AwsException("NoSuchBucket", "The specified bucket does not exist", 404);

    private XElement ListBuckets()
    {
        lock (_lock)
        {
            return new XElement(Ns + "ListAllMyBucketsResult",
                new XElement(Ns + "Owner", new XElement(Ns + "ID", _arns.AccountId)),
                new XElement(Ns + "Buckets", _buckets.Values.Select(b => new XElement(Ns + "Bucket",
                    new XElement(Ns + "Name", b.Name), new XElement(Ns + "CreationDate", Iso(b.Created))))));
        }
    }

    private Task CreateBucket(HttpContext http, string name)
    {
        lock (_lock)
        {
            if (_buckets.ContainsKey(name))
            {
                throw new AwsException("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409);
            }

            _buckets[name] = new S3Bucket(name, _time.GetUtcNow());
        }

        http.Response.Headers.Location = "/" + name;
        return Task.CompletedTask;
    }

    private Task Head(string bucket)
    {
        lock (_lock)
        {
            Bucket(bucket);
        }

        return Task.CompletedTask;
    }

    private Task DeleteBucket(HttpContext http, string name)
    {
        lock (_lock)
        {
            if (Bucket(name).Objects.Count > 0)
            {
                throw new AwsException("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
            }

            _buckets.Remove(name);
        }

        http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private XElement List(string bucket, string prefix)
    {
        lock (_lock)
        {
            var objects = Bucket(bucket).Objects.Values.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            return new XElement(Ns + "ListBucketResult",
                new XElement(Ns + "Name", bucket),
                new XElement(Ns + "Prefix", prefix),
                new XElement(Ns + "KeyCount", objects.Count),
                new XElement(Ns + "MaxKeys", 1000),
                new XElement(Ns + "IsTruncated", "false"),
                objects.Select(o => new XElement(Ns + "Contents",
                    new XElement(Ns + "Key", o.Key),
                    new XElement(Ns + "LastModified", Iso(o.LastModified)),
                    new XElement(Ns + "ETag", $"\"{o.ETag}\""),
                    new XElement(Ns + "Size", o.Data.Length),
                    new XElement(Ns + "StorageClass", "STANDARD"))));
        }
    }

    private async Task PutObjectAsync(HttpContext http, string bucket, string key, string requestId)
    {
        var data = await ReadBodyAsync(http).ConfigureAwait(false);
        var metadata = http.Request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key["x-amz-meta-".Length..].ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var stored = new S3Object(key, data, SqsMessage.Md5Hex(data), http.Request.ContentType ?? "binary/octet-stream", _time.GetUtcNow(), metadata);
        lock (_lock)
        {
            Bucket(bucket).Objects[key] = stored;
        }

        http.Response.Headers.ETag = $"\"{stored.ETag}\"";
        Notify(bucket, "ObjectCreated:Put", stored, requestId, http);
    }

    private async Task CopyObjectAsync(HttpContext http, string bucket, string key, string requestId)
    {
        var source = Uri.UnescapeDataString(http.Request.Headers["x-amz-copy-source"].ToString().Split('?')[0].TrimStart('/')).Split('/', 2);
        S3Object copy;
        lock (_lock)
        {
            var original = source.Length == 2 ? Bucket(source[0]).Objects.GetValueOrDefault(source[1]) : null;
            copy = (original ?? throw new AwsException("NoSuchKey", "The specified key does not exist.", 404)) with { Key = key, LastModified = _time.GetUtcNow() };
            Bucket(bucket).Objects[key] = copy;
        }

        await WriteXmlAsync(http, new XElement(Ns + "CopyObjectResult",
            new XElement(Ns + "ETag", $"\"{copy.ETag}\""),
            new XElement(Ns + "LastModified", Iso(copy.LastModified)))).ConfigureAwait(false);
        Notify(bucket, "ObjectCreated:Copy", copy, requestId, http);
    }

    private async Task GetObjectAsync(HttpContext http, string bucket, string key, bool withBody)
    {
        S3Object stored;
        lock (_lock)
        {
            stored = Bucket(bucket).Objects.GetValueOrDefault(key) ?? throw new AwsException("NoSuchKey", "The specified key does not exist.", 404);
        }

        http.Response.Headers.ETag = $"\"{stored.ETag}\"";
        http.Response.Headers.LastModified = stored.LastModified.ToString("R", CultureInfo.InvariantCulture);
        http.Response.Headers.AcceptRanges = "bytes";
        foreach (var (name, value) in stored.Metadata)
        {
            http.Response.Headers["x-amz-meta-" + name] = value;
        }

        http.Response.ContentType = stored.ContentType;
        http.Response.ContentLength = stored.Data.Length;
        if (withBody)
        {
            await http.Response.Body.WriteAsync(stored.Data, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private Task DeleteObject(HttpContext http, string bucket, string key, string requestId)
    {
        S3Object? removed;
        lock (_lock)
        {
            var objects = Bucket(bucket).Objects;
            objects.Remove(key, out removed);
        }

        http.Response.StatusCode = 204;
        if (removed is not null)
        {
            Notify(bucket, "ObjectRemoved:Delete", removed with { Data = [] }, requestId, http);
        }

        return Task.CompletedTask;
    }

    private async Task PutNotificationAsync(HttpContext http, string bucket)
    {
        var xml = XElement.Parse(System.Text.Encoding.UTF8.GetString(await ReadBodyAsync(http).ConfigureAwait(false)));
        var notifications = new List<S3Notification>();
        foreach (var configuration in xml.Elements())
        {
            var target = configuration.Elements().FirstOrDefault(e => e.Name.LocalName is "CloudFunction" or "LambdaFunctionArn" or "Queue" or "Topic")?.Value;
            if (target is null)
            {
                continue; // EventBridgeConfiguration and unknown elements: not emulated
            }

            if (!_deliveries.Exists(target))
            {
                throw new AwsException("InvalidArgument", $"Unable to validate the following destination configurations: {target}");
            }

            var rules = configuration.Descendants().Where(e => e.Name.LocalName == "FilterRule")
                .ToDictionary(r => r.Elements().First(e => e.Name.LocalName == "Name").Value.ToLowerInvariant(), r => r.Elements().First(e => e.Name.LocalName == "Value").Value, StringComparer.Ordinal);
            notifications.Add(new S3Notification(
                configuration.Elements().FirstOrDefault(e => e.Name.LocalName == "Id")?.Value ?? Guid.NewGuid().ToString(),
                target,
                [.. configuration.Elements().Where(e => e.Name.LocalName == "Event").Select(e => e.Value)],
                rules.GetValueOrDefault("prefix"),
                rules.GetValueOrDefault("suffix")));
        }

        lock (_lock)
        {
            var configured = Bucket(bucket).Notifications;
            configured.Clear();
            configured.AddRange(notifications);
        }
    }

    private XElement GetNotification(string bucket)
    {
        lock (_lock)
        {
            return new XElement(Ns + "NotificationConfiguration", Bucket(bucket).Notifications.Select(n =>
            {
                var (element, target) = Arns.ServiceOf(n.TargetArn) switch
                {
                    "lambda" => ("CloudFunctionConfiguration", "CloudFunction"),
                    "sqs" => ("QueueConfiguration", "Queue"),
                    _ => ("TopicConfiguration", "Topic"),
                };
                return new XElement(Ns + element, new XElement(Ns + "Id", n.Id), new XElement(Ns + target, n.TargetArn), n.Events.Select(e => new XElement(Ns + "Event", e)));
            }));
        }
    }

    private void Notify(string bucket, string eventName, S3Object stored, string requestId, HttpContext http)
    {
        List<S3Notification> targets;
        string sequencer;
        lock (_lock)
        {
            targets = [.. Bucket(bucket).Notifications.Where(n => n.Matches(eventName, stored.Key))];
            sequencer = (++_sequencer).ToString("X18", CultureInfo.InvariantCulture);
        }

        foreach (var target in targets)
        {
            var record = new JsonObject
            {
                ["eventVersion"] = "2.1",
                ["eventSource"] = "aws:s3",
                ["awsRegion"] = _arns.Region,
                ["eventTime"] = Iso(_time.GetUtcNow()),
                ["eventName"] = eventName,
                ["userIdentity"] = new JsonObject { ["principalId"] = $"AWS:{_arns.AccountId}" },
                ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1" },
                ["responseElements"] = new JsonObject
                {
                    ["x-amz-request-id"] = requestId,
                    ["x-amz-id-2"] = http.Response.Headers["x-amz-id-2"].ToString(),
                },
                ["s3"] = new JsonObject
                {
                    ["s3SchemaVersion"] = "1.0",
                    ["configurationId"] = target.Id,
                    ["bucket"] = new JsonObject
                    {
                        ["name"] = bucket,
                        ["ownerIdentity"] = new JsonObject { ["principalId"] = _arns.AccountId },
                        ["arn"] = Arns.Bucket(bucket),
                    },
                    ["object"] = ObjectJson(stored, eventName, sequencer),
                },
            };
            _deliveries.Deliver(target.TargetArn, new JsonObject { ["Records"] = new JsonArray(record) }, "Amazon S3 Notification");
        }
    }

    private static JsonObject ObjectJson(S3Object stored, string eventName, string sequencer)
    {
        // Keys are URL-encoded as a form value (a space becomes '+'), with '/' kept.
        var json = new JsonObject { ["key"] = string.Join('/', stored.Key.Split('/').Select(WebUtility.UrlEncode)) };
        if (eventName.StartsWith("ObjectCreated", StringComparison.Ordinal))
        {
            json["size"] = stored.Data.Length;
            json["eTag"] = stored.ETag;
        }

        json["sequencer"] = sequencer;
        return json;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
