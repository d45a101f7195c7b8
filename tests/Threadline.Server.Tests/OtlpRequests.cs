using Google.Protobuf;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Resource;
using Threadline.Ingest.Protocol.Trace;

namespace Threadline.Server.Tests;

/// <summary>Builds OTLP trace requests for tests that need exact control of the bytes.</summary>
internal static class OtlpRequests
{
    public static ByteString RandomTraceId() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray());

    public static ByteString RandomSpanId() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray().AsSpan(0, 8));

    public static Span Span(ByteString traceId, string name, ByteString? spanId = null) => new()
    {
        TraceId = traceId,
        SpanId = spanId ?? RandomSpanId(),
        Name = name,
        Kind = Threadline.Ingest.Protocol.Trace.Span.Types.SpanKind.Server,
        StartTimeUnixNano = 1_790_000_000_000_000_000,
        EndTimeUnixNano = 1_790_000_000_250_000_000,
    };

    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Attribute(string key, params string[] values)
    {
        var array = new ArrayValue();
        array.Values.AddRange(values.Select(v => new AnyValue { StringValue = v }));
        return new KeyValue { Key = key, Value = new AnyValue { ArrayValue = array } };
    }

    public static ExportTraceServiceRequest Request(params Span[] spans) => Request("bad-input-tests", spans);

    public static ExportTraceServiceRequest Request(string service, params Span[] spans)
    {
        var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = "tests" } };
        scopeSpans.Spans.AddRange(spans);
        var resourceSpans = new ResourceSpans { Resource = new Resource() };
        resourceSpans.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        resourceSpans.ScopeSpans.Add(scopeSpans);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    public static string Hex(ByteString id) => Convert.ToHexString(id.Span).ToLowerInvariant();
}
