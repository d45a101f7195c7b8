using Threadline.Telemetry;

namespace Threadline.Stitching;

/// <summary>Reads the <see cref="SpanFacts"/> of one span: the contract's attributes and their OpenTelemetry equivalents.</summary>
public static class SpanFactsReader
{
    private static readonly HashSet<string> S3Writes = ["PutObject", "CopyObject", "CompleteMultipartUpload"];
    private static readonly HashSet<string> LambdaInvokes = ["Invoke", "InvokeAsync"];

    public static SpanFacts Read(SpanRecord span)
    {
        var a = span.Attributes;
        var resource = span.Resource.Attributes;
        var faasInvocationId = AttributeReader.String(a, "faas.invocation_id");
        var isLambda = faasInvocationId is not null;
        var messagingSystem = AttributeReader.String(a, "messaging.system");
        var rpcService = AttributeReader.String(a, "rpc.service");
        var receives = isLambda || span.Kind == SpanKind.Consumer;
        var inbound = new List<InboundKey>();
        var reads = ReadTriggerKeys(a, inbound);

        if (span.Kind == SpanKind.Consumer && AttributeReader.String(a, "messaging.message.id") is { } consumedId
            && CorrelationKeys.ForMessageId(messagingSystem, rpcService, consumedId) is { } consumedKey)
            inbound.Add(new InboundKey(consumedKey, CorrelationKeys.ViaOf(consumedKey)!));
        foreach (var link in span.Links)
            ReadLink(span, link, messagingSystem, inbound);

        var (callService, callResource, isAwsCall) = ReadCall(span, rpcService, messagingSystem);
        return new SpanFacts
        {
            TraceId = span.TraceId,
            SpanId = span.SpanId,
            ParentSpanId = span.ParentSpanId,
            Name = span.Name,
            Kind = span.Kind,
            Service = span.Service,
            StartTimeUnixNano = span.StartTimeUnixNano,
            EndTimeUnixNano = span.EndTimeUnixNano,
            Status = span.StatusCode,
            Error = span.StatusCode == StatusCode.Error ? ErrorOf(span) : null,
            FaasInvocationId = faasInvocationId,
            FunctionName = AttributeReader.String(a, "faas.name") ?? AttributeReader.String(resource, "faas.name")
                ?? FunctionFromArn(AttributeReader.String(a, "cloud.resource_id") ?? AttributeReader.String(resource, "cloud.resource_id")),
            ColdStart = AttributeReader.Bool(a, "faas.coldstart"),
            Retry = AttributeReader.Bool(a, "threadline.trigger.retry") ?? false,
            FaasTrigger = isLambda ? AttributeReader.String(a, "faas.trigger") : null,
            TriggerKind = AttributeReader.String(a, "threadline.trigger.kind")
                ?? (receives ? TriggerKindOf(messagingSystem) : null),
            TriggerResource = AttributeReader.String(a, "threadline.trigger.resource")
                ?? (receives ? AttributeReader.String(a, "messaging.destination.name") : null)
                ?? (span.Kind == SpanKind.Server ? AttributeReader.String(a, "http.route") : null),
            Inbound = inbound,
            Reads = reads,
            OutboundKeys = ReadOutboundKeys(span, rpcService, messagingSystem),
            Writes = ReadWrites(span),
            CallService = callService,
            CallResource = callResource,
            IsAwsCall = isAwsCall,
            AsyncInvoke = callService == HopService.Lambda
                && (AttributeReader.Long(a, "http.response.status_code") == 202 || AttributeReader.String(a, "rpc.method") == "InvokeAsync"),
        };
    }

    /// <summary><c>threadline.trigger.keys</c>: DynamoDB keys become reads (with <c>threadline.trigger.times</c>), others inbound keys.</summary>
    private static List<DynamoRead> ReadTriggerKeys(IReadOnlyList<KeyValue> a, List<InboundKey> inbound)
    {
        var keys = AttributeReader.Strings(a, "threadline.trigger.keys");
        var times = AttributeReader.Longs(a, "threadline.trigger.times");
        var reads = new List<DynamoRead>();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (CorrelationKeys.TryParseDynamoItem(key, out var table, out var pairs))
            {
                var timeMs = i < times.Count ? times[i] : null;
                reads.Add(new DynamoRead(table, pairs, timeMs is { } ms ? ms * 1_000_000 : long.MaxValue));
            }
            else if (CorrelationKeys.ViaOf(key) is { } via)
            {
                inbound.Add(new InboundKey(key, via));
            }
        }
        return reads;
    }

    /// <summary>
    /// A link to a span is a span reference, via what the tracer says in <c>threadline.link.via</c>; else via X-Ray
    /// when the linked trace id has the X-Ray form (its first 8 hex digits the epoch second, near this span's time),
    /// else via traceparent. An OpenTelemetry messaging link (one without <c>threadline.link.via</c>, whose message
    /// ids the tracer already records as keys) also gives the key of its <c>messaging.message.id</c>.
    /// </summary>
    private static void ReadLink(SpanRecord span, SpanLink link, string? messagingSystem, List<InboundKey> inbound)
    {
        var tracerVia = AttributeReader.String(link.Attributes, "threadline.link.via");
        if (tracerVia is null
            && AttributeReader.String(link.Attributes, "messaging.message.id") is { } messageId
            && CorrelationKeys.ForMessageId(AttributeReader.String(link.Attributes, "messaging.system") ?? messagingSystem ?? "aws_sqs", null, messageId) is { } key)
            inbound.Add(new InboundKey(key, Via.OtelLink));
        if (link.TraceId == 0 || link.SpanId == 0)
            return;
        var epochSeconds = (long)(ulong)(link.TraceId >> 96);
        var spanSeconds = span.StartTimeUnixNano / 1_000_000_000;
        var via = tracerVia is Via.TraceParent or Via.XRay ? tracerVia
            : Math.Abs(spanSeconds - epochSeconds) <= 86_400 ? Via.XRay
            : Via.TraceParent;
        inbound.Add(new InboundKey(CorrelationKeys.ForSpan(link.TraceId, link.SpanId), via));
    }

    private static List<string> ReadOutboundKeys(SpanRecord span, string? rpcService, string? messagingSystem)
    {
        var a = span.Attributes;
        var keys = new List<string>(AttributeReader.Strings(a, "threadline.outbound.keys"));
        if (span.Kind is SpanKind.Producer or SpanKind.Client)
        {
            if (AttributeReader.String(a, "messaging.message.id") is { } messageId
                && CorrelationKeys.ForMessageId(messagingSystem, rpcService, messageId) is { } key)
                keys.Add(key);
            var method = AttributeReader.String(a, "rpc.method");
            var requestId = AttributeReader.String(a, "aws.request_id") ?? AttributeReader.String(a, "aws.request.id");
            if (requestId is not null && method is not null)
            {
                if (rpcService == "S3" && S3Writes.Contains(method))
                    keys.Add(CorrelationKeys.S3Request + requestId);
                else if (rpcService == "Lambda" && LambdaInvokes.Contains(method))
                    keys.Add(CorrelationKeys.LambdaRequest + requestId);
            }
        }
        return [.. keys.Distinct(StringComparer.Ordinal)];
    }

    private static List<DynamoWrite> ReadWrites(SpanRecord span)
    {
        var pairs = AttributeReader.Strings(span.Attributes, "threadline.dynamodb.pairs");
        if (pairs.Count == 0)
            return [];
        var tables = AttributeReader.Strings(span.Attributes, "threadline.dynamodb.tables");
        var fallbackTable = AttributeReader.String(span.Attributes, "threadline.resource");
        var writes = new List<DynamoWrite>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            var table = i < tables.Count ? tables[i] : fallbackTable;
            if (table is not null)
                writes.Add(new DynamoWrite(table, CorrelationKeys.SortedPairs(pairs[i]), span.StartTimeUnixNano, span.SpanId));
        }
        return writes;
    }

    private static (string? Service, string? Resource, bool IsAws) ReadCall(SpanRecord span, string? rpcService, string? messagingSystem)
    {
        var a = span.Attributes;
        var awsService = rpcService is not null && (AttributeReader.String(a, "rpc.system") is null or "aws-api")
            ? ServiceOfRpc(rpcService)
            : span.Kind == SpanKind.Producer ? TriggerKindOf(messagingSystem) : null;
        if (awsService is not null)
        {
            var resource = AttributeReader.String(a, "threadline.resource")
                ?? AttributeReader.String(a, "messaging.destination.name")
                ?? AttributeReader.String(a, "aws.s3.bucket")
                ?? AttributeReader.Strings(a, "aws.dynamodb.table_names").FirstOrDefault()
                ?? AttributeReader.String(a, "faas.invoked_name");
            return (awsService, resource, true);
        }
        if (span.Kind == SpanKind.Client
            && (AttributeReader.String(a, "http.request.method") ?? AttributeReader.String(a, "http.method") ?? AttributeReader.String(a, "url.full")) is not null)
        {
            var host = AttributeReader.String(a, "server.address")
                ?? (Uri.TryCreate(AttributeReader.String(a, "url.full"), UriKind.Absolute, out var url) ? url.Host : null);
            return (HopService.Http, host, false);
        }
        return (null, null, false);
    }

    /// <summary>The hop service of an <c>rpc.service</c> value.</summary>
    internal static string ServiceOfRpc(string rpcService) => rpcService.ToLowerInvariant() switch
    {
        "eventbridge" or "cloudwatchevents" or "events" => HopService.EventBridge,
        "dynamodb" or "dynamodbv2" => HopService.DynamoDb,
        var other => other,
    };

    internal static string? TriggerKindOf(string? messagingSystem) => messagingSystem?.ToLowerInvariant() switch
    {
        "aws_sqs" or "aws.sqs" => HopService.Sqs,
        "aws_sns" or "aws.sns" => HopService.Sns,
        "aws_kinesis" or "aws.kinesis" => HopService.Kinesis,
        "aws.eventbridge" or "aws_eventbridge" => HopService.EventBridge,
        _ => null,
    };

    internal static string? FunctionFromArn(string? arn)
    {
        const string marker = ":function:";
        var at = arn?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
            return null;
        var name = arn!.AsSpan(at + marker.Length);
        var qualifier = name.IndexOf(':');
        return (qualifier >= 0 ? name[..qualifier] : name).ToString();
    }

    private static string? ErrorOf(SpanRecord span)
    {
        if (!string.IsNullOrEmpty(span.StatusMessage))
            return span.StatusMessage;
        foreach (var e in span.Events)
        {
            if (e.Name == "exception")
                return AttributeReader.String(e.Attributes, "exception.message") ?? AttributeReader.String(e.Attributes, "exception.type");
        }
        return null;
    }
}
