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
        var faasInvocationId = Attributes.String(a, "faas.invocation_id");
        var isLambda = faasInvocationId is not null;
        var messagingSystem = Attributes.String(a, "messaging.system");
        var rpcService = Attributes.String(a, "rpc.service");
        var receives = isLambda || span.Kind == SpanKind.Consumer;
        var inbound = new List<InboundKey>();
        var reads = ReadTriggerKeys(a, inbound);

        if (span.Kind == SpanKind.Consumer && Attributes.String(a, "messaging.message.id") is { } consumedId
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
            FunctionName = Attributes.String(a, "faas.name") ?? Attributes.String(resource, "faas.name")
                ?? FunctionFromArn(Attributes.String(a, "cloud.resource_id") ?? Attributes.String(resource, "cloud.resource_id")),
            ColdStart = Attributes.Bool(a, "faas.coldstart"),
            Retry = Attributes.Bool(a, "threadline.trigger.retry") ?? false,
            FaasTrigger = isLambda ? Attributes.String(a, "faas.trigger") : null,
            TriggerKind = Attributes.String(a, "threadline.trigger.kind")
                ?? (receives ? TriggerKindOf(messagingSystem) : null),
            TriggerResource = Attributes.String(a, "threadline.trigger.resource")
                ?? (receives ? Attributes.String(a, "messaging.destination.name") : null)
                ?? (span.Kind == SpanKind.Server ? Attributes.String(a, "http.route") : null),
            Inbound = inbound,
            Reads = reads,
            OutboundKeys = ReadOutboundKeys(span, rpcService, messagingSystem),
            Writes = ReadWrites(span),
            CallService = callService,
            CallResource = callResource,
            IsAwsCall = isAwsCall,
            AsyncInvoke = callService == HopService.Lambda
                && (Attributes.Long(a, "http.response.status_code") == 202 || Attributes.String(a, "rpc.method") == "InvokeAsync"),
        };
    }

    /// <summary><c>threadline.trigger.keys</c>: DynamoDB keys become reads (with <c>threadline.trigger.times</c>), others inbound keys.</summary>
    private static List<DynamoRead> ReadTriggerKeys(IReadOnlyList<KeyValue> a, List<InboundKey> inbound)
    {
        var keys = Attributes.Strings(a, "threadline.trigger.keys");
        var times = Attributes.Longs(a, "threadline.trigger.times");
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
        var tracerVia = Attributes.String(link.Attributes, "threadline.link.via");
        if (tracerVia is null
            && Attributes.String(link.Attributes, "messaging.message.id") is { } messageId
            && CorrelationKeys.ForMessageId(Attributes.String(link.Attributes, "messaging.system") ?? messagingSystem ?? "aws_sqs", null, messageId) is { } key)
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
        var keys = new List<string>(Attributes.Strings(a, "threadline.outbound.keys"));
        if (span.Kind is SpanKind.Producer or SpanKind.Client)
        {
            if (Attributes.String(a, "messaging.message.id") is { } messageId
                && CorrelationKeys.ForMessageId(messagingSystem, rpcService, messageId) is { } key)
                keys.Add(key);
            var method = Attributes.String(a, "rpc.method");
            var requestId = Attributes.String(a, "aws.request_id") ?? Attributes.String(a, "aws.request.id");
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
        var pairs = Attributes.Strings(span.Attributes, "threadline.dynamodb.pairs");
        if (pairs.Count == 0)
            return [];
        var tables = Attributes.Strings(span.Attributes, "threadline.dynamodb.tables");
        var fallbackTable = Attributes.String(span.Attributes, "threadline.resource");
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
        var awsService = rpcService is not null && (Attributes.String(a, "rpc.system") is null or "aws-api")
            ? ServiceOfRpc(rpcService)
            : span.Kind == SpanKind.Producer ? TriggerKindOf(messagingSystem) : null;
        if (awsService is not null)
        {
            var resource = Attributes.String(a, "threadline.resource")
                ?? Attributes.String(a, "messaging.destination.name")
                ?? Attributes.String(a, "aws.s3.bucket")
                ?? Attributes.Strings(a, "aws.dynamodb.table_names").FirstOrDefault()
                ?? Attributes.String(a, "faas.invoked_name");
            return (awsService, resource, true);
        }
        if (span.Kind == SpanKind.Client
            && (Attributes.String(a, "http.request.method") ?? Attributes.String(a, "http.method") ?? Attributes.String(a, "url.full")) is not null)
        {
            var host = Attributes.String(a, "server.address")
                ?? (Uri.TryCreate(Attributes.String(a, "url.full"), UriKind.Absolute, out var url) ? url.Host : null);
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
                return Attributes.String(e.Attributes, "exception.message") ?? Attributes.String(e.Attributes, "exception.type");
        }
        return null;
    }
}
