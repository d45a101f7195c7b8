using System.Text.Json;
using Threadline.Telemetry;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Ingest.Normalize.Lumigo;

/// <summary>
/// An http span (<c>info.httpInfo</c>) as the outgoing call span our tracer records: OpenTelemetry's HTTP attributes and
/// payloads, and for the AWS services Lumigo parses (<c>service</c>: sqs, sns, events, kinesis, dynamodb, lambda) the
/// <c>rpc.*</c> attributes, the resource and the correlation keys of <c>info.messageId</c> / <c>info.messageIds</c>.
/// </summary>
internal static class LumigoHttpCall
{
    public static (string Name, SpanKind Kind, StatusCode Status, List<KeyValue> Attributes) Read(JsonElement span, Scrubber scrubber)
    {
        var info = LumigoJson.Child(span, "info");
        var httpInfo = info is { } i ? LumigoJson.Child(i, "httpInfo") : null;
        var request = httpInfo is { } h ? LumigoJson.Child(h, "request") : null;
        var response = httpInfo is { } h2 ? LumigoJson.Child(h2, "response") : null;
        var requestHeaders = LumigoJson.Object(request is { } rq ? LumigoJson.Child(rq, "headers") : null);
        var responseHeaders = LumigoJson.Object(response is { } rs ? LumigoJson.Child(rs, "headers") : null);
        var host = (httpInfo is { } h3 ? LumigoJson.String(h3, "host") : null) ?? (request is { } r1 ? LumigoJson.String(r1, "host") : null);
        var method = request is { } r2 ? LumigoJson.String(r2, "method") : null;
        var path = request is { } r3 ? LumigoJson.String(r3, "path") : null;
        var uri = request is { } r4 ? LumigoJson.String(r4, "uri") : null;
        var protocol = (request is { } r5 ? LumigoJson.String(r5, "protocol") : null) ?? "https:";
        var status = response is { } s1 ? LumigoJson.Long(s1, "statusCode") : null;
        var requestBody = request is { } r6 ? LumigoJson.Payload(LumigoJson.Child(r6, "body")) : null;
        var responseBody = response is { } s2 ? LumigoJson.Payload(LumigoJson.Child(s2, "body")) : null;

        var attributes = new List<KeyValue>();
        Add(attributes, "http.request.method", method);
        Add(attributes, "server.address", host);
        if (request is { } r7 && LumigoJson.Long(r7, "port") is { } port)
            attributes.Add(new("server.port", port));
        Add(attributes, "url.path", path);
        Add(attributes, "url.full", uri is null ? null : scrubber.ScrubQuery($"{protocol}//{uri}"));
        if (status is { } code)
            attributes.Add(new("http.response.status_code", code));
        Add(attributes, "threadline.request.headers", requestHeaders is { } rh ? scrubber.ScrubText(rh.GetRawText()) : null);
        Add(attributes, "threadline.response.headers", responseHeaders is { } sh ? scrubber.ScrubText(sh.GetRawText()) : null);
        Add(attributes, "threadline.request", requestBody);
        Add(attributes, "threadline.response", responseBody);
        var truncated = new List<object?>();
        if (request is { } r8 && LumigoJson.Child(r8, "truncated") is { ValueKind: JsonValueKind.True })
            truncated.Add("threadline.request");
        if (response is { } s3 && LumigoJson.Child(s3, "truncated") is { ValueKind: JsonValueKind.True })
            truncated.Add("threadline.response");
        if (truncated.Count > 0)
            attributes.Add(new("threadline.truncated", truncated));

        var service = LumigoJson.String(span, "service");
        var awsService = AwsServiceOf(service, host);
        var keys = new List<string>();
        string name;
        var kind = SpanKind.Client;
        if (awsService is not null)
        {
            var operation = Operation(awsService, requestHeaders, requestBody, path, method);
            name = operation is null ? awsService : $"{awsService}.{operation}";
            attributes.Add(new("rpc.system", "aws-api"));
            attributes.Add(new("rpc.service", NormalizationLimits.Text(awsService)));
            Add(attributes, "rpc.method", operation);
            var requestId = LumigoJson.Header(responseHeaders, "x-amzn-requestid") ?? LumigoJson.Header(responseHeaders, "x-amz-request-id");
            Add(attributes, "aws.request_id", requestId);
            Add(attributes, "threadline.resource", Resource(info) ?? (awsService == "S3" ? S3Bucket(host, path) : null));
            var messageIds = MessageIds(info);
            var prefix = awsService switch
            {
                "SQS" => "sqs:msg:",
                "SNS" => "sns:msg:",
                "EventBridge" => "events:evt:",
                _ => null,
            };
            if (prefix is not null)
                keys.AddRange(messageIds.Select(id => prefix + id));
            if (awsService == "SQS" && operation == "SendMessageBatch")
                keys.AddRange(BatchMessageIds(responseBody).Select(id => "sqs:msg:" + id));
            if (awsService == "Kinesis")
                keys.AddRange(KinesisKeys(requestBody, responseBody));
            if (awsService == "Lambda" && requestId is not null)
                keys.Add("lambda:req:" + requestId);
            if (operation is "SendMessage" or "SendMessageBatch" or "Publish" or "PublishBatch" or "PutEvents" or "PutRecord" or "PutRecords")
                kind = SpanKind.Producer;
        }
        else
        {
            name = $"{method ?? "HTTP"} {host}";
            if ((LumigoJson.Header(responseHeaders, "apigw-requestid") ?? LumigoJson.Header(responseHeaders, "x-amzn-requestid")) is { } apigwId)
                keys.Add("apigw:req:" + apigwId);
        }
        if (keys.Count > 0)
            attributes.Add(new("threadline.outbound.keys", keys.Distinct(StringComparer.Ordinal).Take(NormalizationLimits.MaxArrayItems).Select(k => (object?)NormalizationLimits.Text(k)).ToList()));
        var failed = status >= 400 || LumigoJson.Child(span, "error") is not null;
        return (name, kind, failed ? StatusCode.Error : StatusCode.Unset, attributes);
    }

    private static string? AwsServiceOf(string? service, string? host) => service switch
    {
        "sqs" => "SQS",
        "sns" => "SNS",
        "events" => "EventBridge",
        "kinesis" => "Kinesis",
        "dynamodb" => "DynamoDB",
        "lambda" => "Lambda",
        _ when host is not null && (host.StartsWith("s3.", StringComparison.Ordinal) || host.Contains(".s3.", StringComparison.Ordinal)) => "S3",
        _ => null,
    };

    /// <summary>The operation: the JSON protocols' <c>X-Amz-Target</c>, the query protocol's <c>Action</c>, Lambda's path.</summary>
    private static string? Operation(string service, JsonElement? headers, string? body, string? path, string? method)
    {
        if (LumigoJson.Header(headers, "x-amz-target") is { } target)
            return target[(target.LastIndexOf('.') + 1)..];
        if (body is not null && body.Contains("Action=", StringComparison.Ordinal))
        {
            foreach (var pair in body.Split('&'))
            {
                if (pair.StartsWith("Action=", StringComparison.Ordinal))
                    return Uri.UnescapeDataString(pair["Action=".Length..]);
            }
        }
        if (service == "Lambda" && path?.Contains("/invocations", StringComparison.Ordinal) == true)
            return "Invoke";
        // S3's REST calls name no operation; an upload without a query is a PutObject, whose request id S3 events carry.
        if (service == "S3" && method == "PUT" && path?.Contains('?', StringComparison.Ordinal) == false)
            return "PutObject";
        return null;
    }

    private static string? Resource(JsonElement? info)
    {
        if (info is not { } i)
            return null;
        var name = LumigoJson.String(i, "resourceName")
            ?? LumigoJson.Items(LumigoJson.Child(i, "resourceNames")).Select(LumigoJson.Text).FirstOrDefault(n => n is not null);
        if (name is null)
            return null;
        // Queue URLs end with the queue name, topic and function ARNs with theirs.
        if (Uri.TryCreate(name, UriKind.Absolute, out var url) && url.Scheme.StartsWith("http", StringComparison.Ordinal))
            return url.Segments[^1].Trim('/');
        return name.StartsWith("arn:", StringComparison.Ordinal) ? LumigoTrigger.ResourceOfArn(name) : name;
    }

    /// <summary>The bucket of a virtual-hosted (<c>bucket.s3.region.amazonaws.com</c>) or path-style S3 request.</summary>
    private static string? S3Bucket(string? host, string? path)
    {
        var at = host?.IndexOf(".s3.", StringComparison.Ordinal) ?? -1;
        if (at > 0)
            return host![..at];
        var segments = path?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is { Length: > 0 } ? segments[0] : null;
    }

    private static List<string> MessageIds(JsonElement? info)
    {
        var ids = new List<string>();
        if (info is not { } i)
            return ids;
        if (LumigoJson.String(i, "messageId") is { } id)
            ids.Add(id);
        ids.AddRange(LumigoJson.Items(LumigoJson.Child(i, "messageIds")).Select(LumigoJson.Text).OfType<string>());
        return ids;
    }

    /// <summary>
    /// Kinesis keys need the stream and shard besides Lumigo's sequence numbers: the request names the stream, the
    /// response of PutRecord its shard and sequence number, of PutRecords one per record.
    /// </summary>
    private static IEnumerable<string> KinesisKeys(string? requestBody, string? responseBody)
    {
        if (requestBody is null || responseBody is null || !requestBody.StartsWith('{') || !responseBody.StartsWith('{'))
            return [];
        try
        {
            using var request = JsonDocument.Parse(requestBody);
            using var response = JsonDocument.Parse(responseBody);
            var stream = LumigoJson.String(request.RootElement, "StreamName")
                ?? LumigoTrigger.ResourceOfArn(LumigoJson.String(request.RootElement, "StreamARN"));
            if (stream is null)
                return [];
            var records = LumigoJson.Child(response.RootElement, "Records") is { ValueKind: JsonValueKind.Array } many
                ? many.EnumerateArray().ToList()
                : [response.RootElement];
            return [.. records
                .Select(r => (Shard: LumigoJson.String(r, "ShardId"), Sequence: LumigoJson.String(r, "SequenceNumber")))
                .Where(r => r.Shard is not null && r.Sequence is not null)
                .Select(r => $"kinesis:rec:{stream}/{r.Shard}/{r.Sequence}")];
        }
        catch (JsonException)
        {
            return []; // Cut by the tracer's size limit.
        }
    }

    /// <summary>Lumigo records only the first message of a batch; the JSON protocol's response lists them all.</summary>
    private static IEnumerable<string> BatchMessageIds(string? responseBody)
    {
        if (responseBody is null || !responseBody.StartsWith('{'))
            return [];
        try
        {
            using var document = JsonDocument.Parse(responseBody);
            return [.. LumigoJson.Items(LumigoJson.Child(document.RootElement, "Successful"))
                .Select(entry => LumigoJson.String(entry, "MessageId")).OfType<string>()];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static void Add(List<KeyValue> attributes, string key, string? value)
    {
        if (value is not null)
            attributes.Add(new(key, NormalizationLimits.Text(value)));
    }
}
