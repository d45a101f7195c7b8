using System.Globalization;
using Google.Protobuf;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Resource;
using Threadline.Ingest.Protocol.Trace;
using Threadline.Stitching;

namespace Threadline.Reliability.Tests;

/// <summary>
/// OTLP requests of an SQS hop: each holds one producer invocation (it sends a message) and, when given, one consumer
/// of an earlier request's message, so consumers often arrive long after their producers.
/// </summary>
internal static class SqsHopRequests
{
    public static (ExportTraceServiceRequest Request, List<InvocationId> Roots) Create(Random random, string message, string? consumed, string serviceName)
    {
        var now = (ulong)DateTime.UtcNow.Subtract(DateTime.UnixEpoch).Ticks * 100;
        var producerTrace = Bytes(random, 16);
        var producerRoot = Bytes(random, 8);
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "reliability-tests" } };
        var root = NewSpan(producerTrace, producerRoot, "POST /orders", Span.Types.SpanKind.Server, now);
        root.Attributes.Add(Attribute("faas.name", "orders-api"));
        root.Attributes.Add(Attribute("faas.invocation_id", Guid.NewGuid().ToString()));
        root.Attributes.Add(Attribute("threadline.trigger.kind", "apigateway"));
        var send = NewSpan(producerTrace, Bytes(random, 8), "SQS.SendMessage", Span.Types.SpanKind.Producer, now + 1_000);
        send.ParentSpanId = ByteString.CopyFrom(producerRoot);
        send.Attributes.Add(Attribute("rpc.system", "aws-api"));
        send.Attributes.Add(Attribute("rpc.service", "SQS"));
        send.Attributes.Add(Attribute("rpc.method", "SendMessage"));
        send.Attributes.Add(Attribute("threadline.resource", "jobs"));
        send.Attributes.Add(Keys("threadline.outbound.keys", $"sqs:msg:{message}"));
        scope.Spans.Add(root);
        scope.Spans.Add(send);
        var roots = new List<InvocationId> { Id(producerTrace, producerRoot) };
        if (consumed is not null)
        {
            var consumerTrace = Bytes(random, 16);
            var consumerRoot = Bytes(random, 8);
            var consumer = NewSpan(consumerTrace, consumerRoot, "jobs process", Span.Types.SpanKind.Consumer, now + 2_000_000);
            consumer.Attributes.Add(Attribute("faas.name", "worker"));
            consumer.Attributes.Add(Attribute("faas.invocation_id", Guid.NewGuid().ToString()));
            consumer.Attributes.Add(Attribute("threadline.trigger.kind", "sqs"));
            consumer.Attributes.Add(Attribute("threadline.trigger.resource", "jobs"));
            consumer.Attributes.Add(Keys("threadline.trigger.keys", $"sqs:msg:{consumed}"));
            scope.Spans.Add(consumer);
            roots.Add(Id(consumerTrace, consumerRoot));
        }
        var resourceSpans = new ResourceSpans { Resource = new Resource() };
        resourceSpans.Resource.Attributes.Add(Attribute("service.name", serviceName));
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return (request, roots);
    }

    private static Span NewSpan(byte[] traceId, byte[] spanId, string name, Span.Types.SpanKind kind, ulong start) => new()
    {
        TraceId = ByteString.CopyFrom(traceId),
        SpanId = ByteString.CopyFrom(spanId),
        Name = name,
        Kind = kind,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + 1_000_000,
    };

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Keys(string key, string value)
    {
        var array = new ArrayValue();
        array.Values.Add(new AnyValue { StringValue = value });
        return new KeyValue { Key = key, Value = new AnyValue { ArrayValue = array } };
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] |= 1;
        return bytes;
    }

    public static InvocationId Id(byte[] traceId, byte[] spanId) => new(
        UInt128.Parse(Convert.ToHexString(traceId), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        ulong.Parse(Convert.ToHexString(spanId), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

}
