using Google.Protobuf;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Resource;
using Threadline.Ingest.Protocol.Trace;

namespace Threadline.Reliability.Tests;

/// <summary>OTLP trace requests of fresh random spans, with the span ids they carry (lowercase hex).</summary>
internal static class OtlpBatches
{
    public static (ExportTraceServiceRequest Request, List<string> SpanIds) Create(Random random, string service, int spans, int payloadChars)
    {
        var traceId = new byte[16];
        random.NextBytes(traceId);
        traceId[0] |= 1;
        var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = "reliability-tests" } };
        var ids = new List<string>(spans);
        var now = (ulong)DateTime.UtcNow.Subtract(DateTime.UnixEpoch).Ticks * 100;
        for (var i = 0; i < spans; i++)
        {
            var spanId = new byte[8];
            random.NextBytes(spanId);
            spanId[0] |= 1;
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(traceId),
                SpanId = ByteString.CopyFrom(spanId),
                Name = "load " + i,
                Kind = Span.Types.SpanKind.Internal,
                StartTimeUnixNano = now + (ulong)i,
                EndTimeUnixNano = now + (ulong)i + 1_000_000,
            };
            span.Attributes.Add(new KeyValue { Key = "payload", Value = new AnyValue { StringValue = RandomText(random, payloadChars) } });
            scopeSpans.Spans.Add(span);
            ids.Add(Convert.ToHexString(spanId).ToLowerInvariant());
        }
        var resourceSpans = new ResourceSpans { Resource = new Resource() };
        resourceSpans.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        resourceSpans.ScopeSpans.Add(scopeSpans);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return (request, ids);
    }

    private static string RandomText(Random random, int length) =>
        string.Create(length, random, (chars, r) =>
        {
            for (var i = 0; i < chars.Length; i++)
                chars[i] = (char)('a' + r.Next(26));
        });
}
