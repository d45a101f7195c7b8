using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Logs;
using Threadline.Ingest.Protocol.Trace;

namespace Threadline.Bench.Workload;

/// <summary>
/// Generates serverless transactions from a seed: an API entry invocation and 2–29 more, linked by sync hops
/// (HTTP through API Gateway, Lambda Invoke: same trace) and async hops (SQS, SNS, EventBridge, DynamoDB
/// Streams, Kinesis, S3: a new trace, linked by the correlation keys the tracer records, plus a traceparent
/// link for SQS and SNS). Spans carry 10–20 attributes; with payloads on, invocations carry their event and
/// response and calls their request body. The same seed gives the same bytes.
/// </summary>
internal sealed class TransactionGenerator(int seed, bool payloads, long startUnixNano, long spacingNanos)
{
    private const long Ms = 1_000_000;
    private readonly Random _random = new(seed);
    private long _nextStart = startUnixNano;
    // Stream sequence numbers and item versions are unique across seeds, so two loads never share a key.
    private long _sequence = (long)seed << 40;

    public GeneratedTransaction Next()
    {
        var count = 3 + (int)(27 * Math.Pow(_random.NextDouble(), 2));
        var parents = new int[count];
        var kinds = new HopKind[count];
        var children = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            children[i] = [];
            if (i == 0)
                continue;
            // Prefer recent invocations as parents, so chains are several hops deep.
            parents[i] = Math.Max(0, i - 1 - (int)(i * Math.Pow(_random.NextDouble(), 3)));
            kinds[i] = HopKinds.Pick(_random);
            children[parents[i]].Add(i);
        }

        var starts = new long[count];
        var durations = new long[count];
        var links = new HopLink?[count];
        var traces = new UInt128[count];
        var parentSpans = new ulong[count];
        starts[0] = _nextStart;
        durations[0] = RandomDuration();
        traces[0] = NewTraceId();
        _nextStart += spacingNanos;

        var invocations = new List<GeneratedInvocation>(count);
        string? id = null;
        for (var i = 0; i < count; i++)
        {
            var function = i == 0 ? FunctionCatalog.Entries[_random.Next(FunctionCatalog.Entries.Length)]
                : FunctionCatalog.Workers[_random.Next(FunctionCatalog.Workers.Length)];
            var invocation = Invocation(function, traces[i], parentSpans[i], starts[i], durations[i], links[i], children[i], kinds,
                (child, link, callStart, callDuration) =>
                {
                    links[child] = link;
                    if (kinds[child].IsSync())
                    {
                        traces[child] = link.ProducerTraceId;
                        parentSpans[child] = link.ProducerSpanId;
                        starts[child] = callStart + 1 * Ms;
                        durations[child] = Math.Max(1 * Ms, callDuration - 2 * Ms);
                    }
                    else
                    {
                        traces[child] = NewTraceId();
                        starts[child] = callStart + callDuration + _random.Next(5, 400) * Ms;
                        durations[child] = RandomDuration();
                    }
                });
            id ??= $"{traces[0]:x32}-{System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(invocation.Spans[0].SpanId.Span):x16}";
            invocations.Add(invocation);
        }
        return new GeneratedTransaction(id!, invocations);
    }

    private delegate void ChildStarted(int child, HopLink link, long callStart, long callDuration);

    private GeneratedInvocation Invocation(FunctionSpec function, UInt128 traceId, ulong parentSpanId, long start, long duration,
        HopLink? trigger, List<int> children, HopKind[] kinds, ChildStarted childStarted)
    {
        var spans = new List<Span>();
        var invocationSpanId = NewSpanId();
        var requestId = trigger?.InvocationId ?? NewGuid();
        var orderId = $"o-{_random.Next(1_000_000)}";
        var failed = _random.Next(100) < 3;

        // Calls: one per caused hop, plus 1–3 others, laid out in order inside the invocation.
        var extra = _random.Next(1, 4);
        var calls = children.Count + extra;
        var slot = duration / (calls + 1);
        var callIndex = 0;
        foreach (var child in children)
        {
            var callStart = start + slot * ++callIndex;
            var callDuration = Math.Max(2 * Ms, slot * 8 / 10);
            var (span, link) = HopCall(kinds[child], traceId, invocationSpanId, callStart, callDuration, orderId);
            spans.Add(span);
            childStarted(child, link, callStart, callDuration);
        }
        for (var e = 0; e < extra; e++)
        {
            var callStart = start + slot * ++callIndex;
            spans.Add(OtherCall(traceId, invocationSpanId, callStart, Math.Max(1 * Ms, slot * 7 / 10), orderId));
        }

        var root = InvocationSpan(function, traceId, invocationSpanId, parentSpanId, start, duration, requestId, trigger, orderId, failed);
        spans.Insert(0, root);
        var logs = Logs(traceId, invocationSpanId, start, duration, orderId, failed);
        return new GeneratedInvocation(function, traceId, spans, logs);
    }

    private Span InvocationSpan(FunctionSpec function, UInt128 traceId, ulong spanId, ulong parentSpanId, long start, long duration,
        string requestId, HopLink? trigger, string orderId, bool failed)
    {
        var http = trigger is null || trigger.Kind == HopKind.Http;
        var span = NewSpan(traceId, spanId, parentSpanId, function.Name,
            http ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Consumer, start, duration);
        var a = span.Attributes;
        a.Add(Otlp.Str("faas.name", function.Name));
        a.Add(Otlp.Str("faas.version", "$LATEST"));
        a.Add(Otlp.Str("faas.invocation_id", requestId));
        a.Add(Otlp.Str("cloud.resource_id", function.Arn));
        a.Add(Otlp.Int("faas.max_memory", 512L * 1024 * 1024));
        a.Add(Otlp.Bool("faas.coldstart", _random.Next(20) == 0));
        a.Add(Otlp.Int("faas.timeout_remaining_ms", 29_000 + _random.Next(1000)));
        a.Add(Otlp.Str("cloud.region", FunctionCatalog.Region));
        a.Add(Otlp.Str("cloud.account.id", FunctionCatalog.Account));
        TriggerAttributes(a, trigger, http);
        if (payloads)
        {
            a.Add(Otlp.Str("threadline.event", Payloads.Order(_random, orderId)));
            a.Add(Otlp.Str("threadline.response", Payloads.Response(_random, orderId)));
        }
        if (failed)
        {
            span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "Payment provider declined the charge" };
            var error = new Span.Types.Event { Name = "exception", TimeUnixNano = (ulong)(start + duration - Ms) };
            error.Attributes.Add(Otlp.Str("exception.type", "Shop.Payments.ChargeDeclinedException"));
            error.Attributes.Add(Otlp.Str("exception.message", "Payment provider declined the charge"));
            error.Attributes.Add(Otlp.Str("exception.stacktrace", Payloads.StackTrace));
            span.Events.Add(error);
        }
        return span;
    }

    private void TriggerAttributes(Google.Protobuf.Collections.RepeatedField<KeyValue> a, HopLink? trigger, bool http)
    {
        if (http)
        {
            var route = trigger?.Resource ?? "/orders/{id}";
            a.Add(Otlp.Str("faas.trigger", "http"));
            a.Add(Otlp.Str("threadline.trigger.kind", "apigateway"));
            a.Add(Otlp.Str("threadline.trigger.resource", route));
            a.Add(Otlp.Strs("threadline.trigger.keys", trigger?.TriggerKey ?? "apigw:req:" + NewGuid()));
            a.Add(Otlp.Str("http.request.method", "POST"));
            a.Add(Otlp.Str("http.route", route));
            a.Add(Otlp.Int("http.response.status_code", 200));
            return;
        }

        var (faasTrigger, kind) = trigger!.Kind switch
        {
            HopKind.Invoke => ("other", "invoke"),
            HopKind.Sqs => ("pubsub", "sqs"),
            HopKind.Sns => ("pubsub", "sns"),
            HopKind.EventBridge => ("pubsub", "eventbridge"),
            HopKind.DynamoDb => ("datasource", "dynamodb"),
            HopKind.Kinesis => ("datasource", "kinesis"),
            _ => ("datasource", "s3"),
        };
        a.Add(Otlp.Str("faas.trigger", faasTrigger));
        a.Add(Otlp.Str("threadline.trigger.kind", kind));
        a.Add(Otlp.Str("threadline.trigger.resource", trigger.Resource));
        if (trigger.TriggerKey is { } key)
            a.Add(Otlp.Strs("threadline.trigger.keys", key));
        if (trigger.RecordTimeMs is { } recordTime)
            a.Add(Otlp.Ints("threadline.trigger.times", recordTime));
        a.Add(Otlp.Bool("threadline.trigger.retry", false));
    }

    private (Span Span, HopLink Link) HopCall(HopKind kind, UInt128 traceId, ulong parentSpanId, long start, long duration, string orderId)
    {
        var spanId = NewSpanId();
        var requestId = NewGuid();
        var (service, method, resource, spanKind) = kind switch
        {
            HopKind.Http => ("", "POST", "api.shop.example.com", Span.Types.SpanKind.Client),
            HopKind.Invoke => ("Lambda", "Invoke", FunctionCatalog.Workers[_random.Next(FunctionCatalog.Workers.Length)].Name, Span.Types.SpanKind.Client),
            HopKind.Sqs => ("SQS", "SendMessage", Pick("orders-queue", "payments-queue", "email-queue", "audit-queue"), Span.Types.SpanKind.Producer),
            HopKind.Sns => ("SNS", "Publish", Pick("order-events", "customer-events"), Span.Types.SpanKind.Producer),
            HopKind.EventBridge => ("EventBridge", "PutEvents", Pick("shop-bus", "default"), Span.Types.SpanKind.Producer),
            HopKind.DynamoDb => ("DynamoDB", "PutItem", Pick("orders", "carts", "payments"), Span.Types.SpanKind.Client),
            HopKind.Kinesis => ("Kinesis", "PutRecord", Pick("clickstream", "order-stream"), Span.Types.SpanKind.Producer),
            _ => ("S3", "PutObject", Pick("receipts-bucket", "uploads-bucket"), Span.Types.SpanKind.Client),
        };
        var name = kind == HopKind.Http ? "POST /internal/orders" : $"{service}.{method}";
        var span = NewSpan(traceId, spanId, parentSpanId, name, spanKind, start, duration);
        var a = span.Attributes;
        HopLink link;
        if (kind == HopKind.Http)
        {
            var key = "apigw:req:" + requestId;
            a.Add(Otlp.Str("http.request.method", "POST"));
            a.Add(Otlp.Str("url.full", "https://api.shop.example.com/prod/internal/orders/" + orderId));
            a.Add(Otlp.Str("url.path", "/prod/internal/orders/" + orderId));
            a.Add(Otlp.Str("url.scheme", "https"));
            a.Add(Otlp.Str("server.address", resource));
            a.Add(Otlp.Int("server.port", 443));
            a.Add(Otlp.Int("http.response.status_code", 200));
            a.Add(Otlp.Str("network.protocol.version", "1.1"));
            a.Add(Otlp.Str("user_agent.original", "Threadline-Shop/1.0"));
            a.Add(Otlp.Strs("threadline.outbound.keys", key));
            link = new HopLink(kind, "/internal/orders/{id}", key, traceId, spanId);
        }
        else
        {
            string? key = null;
            a.Add(Otlp.Str("rpc.system", "aws-api"));
            a.Add(Otlp.Str("rpc.service", service));
            a.Add(Otlp.Str("rpc.method", method));
            a.Add(Otlp.Str("aws.request_id", kind == HopKind.S3 ? requestId.Replace("-", "", StringComparison.Ordinal)[..16].ToUpperInvariant() : requestId));
            a.Add(Otlp.Str("threadline.resource", resource));
            a.Add(Otlp.Str("cloud.region", FunctionCatalog.Region));
            a.Add(Otlp.Str("server.address", $"{service.ToLowerInvariant()}.{FunctionCatalog.Region}.amazonaws.com"));
            a.Add(Otlp.Int("http.response.status_code", 200));
            long? recordTime = null;
            switch (kind)
            {
                case HopKind.Invoke:
                    a.Add(Otlp.Str("faas.invoked_name", resource));
                    a.Add(Otlp.Str("faas.invoked_provider", "aws"));
                    break;
                case HopKind.Sqs or HopKind.Sns:
                    var messageId = NewGuid();
                    key = (kind == HopKind.Sqs ? "sqs:msg:" : "sns:msg:") + messageId;
                    a.Add(Otlp.Str("messaging.system", kind == HopKind.Sqs ? "aws_sqs" : "aws_sns"));
                    a.Add(Otlp.Str("messaging.destination.name", resource));
                    a.Add(Otlp.Str("messaging.operation.type", "send"));
                    a.Add(Otlp.Str("messaging.message.id", messageId));
                    break;
                case HopKind.EventBridge:
                    key = "events:evt:" + NewGuid();
                    a.Add(Otlp.Str("aws.eventbridge.detail_type", "OrderUpdated"));
                    break;
                case HopKind.Kinesis:
                    key = $"kinesis:rec:{resource}/shardId-00000000000{_random.Next(4)}/{Sequence()}";
                    a.Add(Otlp.Str("aws.kinesis.stream_name", resource));
                    break;
                case HopKind.S3:
                    key = "s3:req:" + AttributeValue(a, "aws.request_id");
                    a.Add(Otlp.Str("aws.s3.bucket", resource));
                    a.Add(Otlp.Str("aws.s3.key", $"receipts/{orderId}.pdf"));
                    break;
                case HopKind.DynamoDb:
                    var pairs = $"pk={Hash("S:ORDER#" + orderId)}&sk={Hash("S:V#" + Sequence())}";
                    key = $"dynamodb:item:{resource}/{pairs}";
                    recordTime = (start + Ms - 1) / Ms;
                    a.Add(Otlp.Strs("aws.dynamodb.table_names", resource));
                    a.Add(Otlp.Strs("threadline.dynamodb.pairs", pairs));
                    a.Add(Otlp.Strs("threadline.dynamodb.tables", resource));
                    break;
            }
            if (key is not null && kind != HopKind.DynamoDb)
                a.Add(Otlp.Strs("threadline.outbound.keys", key));
            link = new HopLink(kind, resource, key, traceId, spanId)
            {
                RecordTimeMs = recordTime,
                InvocationId = kind == HopKind.Invoke ? requestId : null,
            };
        }
        if (payloads)
            a.Add(Otlp.Str("threadline.request", Payloads.Message(_random, orderId)));
        return (span, link);
    }

    private Span OtherCall(UInt128 traceId, ulong parentSpanId, long start, long duration, string orderId)
    {
        var roll = _random.Next(3);
        if (roll == 0)
        {
            var span = NewSpan(traceId, NewSpanId(), parentSpanId, "DynamoDB.GetItem", Span.Types.SpanKind.Client, start, duration);
            var a = span.Attributes;
            a.Add(Otlp.Str("rpc.system", "aws-api"));
            a.Add(Otlp.Str("rpc.service", "DynamoDB"));
            a.Add(Otlp.Str("rpc.method", "GetItem"));
            a.Add(Otlp.Str("aws.request_id", NewGuid()));
            a.Add(Otlp.Str("threadline.resource", "customers"));
            a.Add(Otlp.Strs("aws.dynamodb.table_names", "customers"));
            a.Add(Otlp.Bool("aws.dynamodb.consistent_read", false));
            a.Add(Otlp.Str("db.system.name", "aws.dynamodb"));
            a.Add(Otlp.Str("cloud.region", FunctionCatalog.Region));
            a.Add(Otlp.Str("server.address", $"dynamodb.{FunctionCatalog.Region}.amazonaws.com"));
            a.Add(Otlp.Int("http.response.status_code", 200));
            if (payloads)
                a.Add(Otlp.Str("threadline.response", Payloads.Message(_random, orderId)));
            return span;
        }
        if (roll == 1)
        {
            var span = NewSpan(traceId, NewSpanId(), parentSpanId, "GET", Span.Types.SpanKind.Client, start, duration);
            var a = span.Attributes;
            a.Add(Otlp.Str("http.request.method", "GET"));
            a.Add(Otlp.Str("url.full", $"https://rates.example.net/v2/rates?currency=EUR&order={orderId}"));
            a.Add(Otlp.Str("url.path", "/v2/rates"));
            a.Add(Otlp.Str("url.scheme", "https"));
            a.Add(Otlp.Str("server.address", "rates.example.net"));
            a.Add(Otlp.Int("server.port", 443));
            a.Add(Otlp.Int("http.response.status_code", 200));
            a.Add(Otlp.Str("network.protocol.version", "1.1"));
            a.Add(Otlp.Str("network.peer.address", $"203.0.113.{_random.Next(1, 255)}"));
            a.Add(Otlp.Str("user_agent.original", "Threadline-Shop/1.0"));
            if (payloads)
                a.Add(Otlp.Str("threadline.response", """{"currency":"EUR","rate":1.0,"ttl":300}"""));
            return span;
        }
        var work = NewSpan(traceId, NewSpanId(), parentSpanId, "ValidateOrder", Span.Types.SpanKind.Internal, start, duration);
        var w = work.Attributes;
        w.Add(Otlp.Str("code.function.name", "Shop.Orders.Validator.Validate"));
        w.Add(Otlp.Str("code.file.path", "/src/Orders/Validator.cs"));
        w.Add(Otlp.Int("code.line.number", 42 + _random.Next(100)));
        w.Add(Otlp.Str("app.order_id", orderId));
        w.Add(Otlp.Str("app.customer_tier", Pick("bronze", "silver", "gold")));
        w.Add(Otlp.Int("app.items", _random.Next(1, 9)));
        w.Add(Otlp.Int("app.total_cents", _random.Next(100, 90_000)));
        w.Add(Otlp.Str("app.currency", "EUR"));
        w.Add(Otlp.Bool("app.gift", _random.Next(10) == 0));
        w.Add(Otlp.Str("app.channel", Pick("web", "ios", "android")));
        return work;
    }

    private List<LogRecord> Logs(UInt128 traceId, ulong spanId, long start, long duration, string orderId, bool failed)
    {
        var count = _random.Next(1, 4);
        var logs = new List<LogRecord>(count + 1);
        for (var i = 0; i < count; i++)
            logs.Add(Log(traceId, spanId, start + duration * (i + 1) / (count + 2), 9, "INFO", $"Processed step {i + 1} of order {orderId}"));
        if (failed)
            logs.Add(Log(traceId, spanId, start + duration - Ms, 17, "ERROR", $"Charging order {orderId} failed: Payment provider declined the charge"));
        return logs;
    }

    private static LogRecord Log(UInt128 traceId, ulong spanId, long time, int severity, string severityText, string body)
    {
        var log = new LogRecord
        {
            TimeUnixNano = (ulong)time,
            ObservedTimeUnixNano = (ulong)time,
            SeverityNumber = (SeverityNumber)severity,
            SeverityText = severityText,
            Body = new AnyValue { StringValue = body },
            TraceId = Otlp.TraceId(traceId),
            SpanId = Otlp.SpanId(spanId),
            Flags = 1,
        };
        log.Attributes.Add(Otlp.Str("log.logger", "Shop.Handler"));
        log.Attributes.Add(Otlp.Str("code.function.name", "HandleAsync"));
        return log;
    }

    private static Span NewSpan(UInt128 traceId, ulong spanId, ulong parentSpanId, string name, Span.Types.SpanKind kind, long start, long duration)
    {
        var span = new Span
        {
            TraceId = Otlp.TraceId(traceId),
            SpanId = Otlp.SpanId(spanId),
            Name = name,
            Kind = kind,
            StartTimeUnixNano = (ulong)start,
            EndTimeUnixNano = (ulong)(start + duration),
            Flags = 0x100 | 1,
        };
        if (parentSpanId != 0)
            span.ParentSpanId = Otlp.SpanId(parentSpanId);
        return span;
    }

    private static string AttributeValue(Google.Protobuf.Collections.RepeatedField<KeyValue> attributes, string key) =>
        attributes.First(a => a.Key == key).Value.StringValue;

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];

    private string Pick(params string[] values) => values[_random.Next(values.Length)];

    private string Sequence() => (++_sequence).ToString("D20", CultureInfo.InvariantCulture);

    private long RandomDuration() => _random.Next(20, 400) * Ms;

    private UInt128 NewTraceId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[0] |= 1;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private ulong NewSpanId() => (ulong)_random.NextInt64(1, long.MaxValue);

    private string NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}
