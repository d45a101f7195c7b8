using System.Text.Json;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Trace;
using OtlpResource = Threadline.Ingest.Protocol.Resource.Resource;
using OtlpSpan = Threadline.Ingest.Protocol.Trace.Span;

namespace Threadline.Ingest.Normalize.Zipkin;

/// <summary>
/// Turns a Zipkin v2 JSON body (an array of spans) into an OTLP request, one resource per
/// <c>localEndpoint.serviceName</c>: 64- or 128-bit trace ids (the former zero-padded on the left), kinds,
/// the remote endpoint as <c>peer.service</c> / <c>network.peer.*</c>, tags as attributes, annotations as events,
/// microsecond timestamps. An <c>error</c> tag (or OpenTelemetry's <c>otel.status_code</c> = ERROR) is an error status.
/// One malformed span rejects the whole body, with its index.
/// </summary>
public static class ZipkinSpanTranslator
{
    private const string Scope = "zipkin";

    /// <exception cref="OtlpFormatException">The body is not Zipkin v2 JSON: the message says where.</exception>
    public static ExportTraceServiceRequest Translate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
            throw new OtlpFormatException($"The body must be a JSON array of Zipkin v2 spans, got {body.ValueKind.ToString().ToLowerInvariant()}.");

        var byService = new Dictionary<string, ScopeSpans>(StringComparer.Ordinal);
        var request = new ExportTraceServiceRequest();
        var i = 0;
        foreach (var element in body.EnumerateArray())
        {
            var location = $"[{i++}]";
            if (element.ValueKind != JsonValueKind.Object)
                throw new OtlpFormatException($"{location}: a span must be a JSON object, got {element.ValueKind.ToString().ToLowerInvariant()}.");
            var local = OtlpMessageBuilder.OptionalObject(element, "localEndpoint", location);
            var service = local is { } l ? OtlpMessageBuilder.OptionalString(l, "serviceName", location + ".localEndpoint") : null;
            service = string.IsNullOrEmpty(service) ? ResourceScopeFactory.UnknownService : service;
            if (!byService.TryGetValue(service, out var scopeSpans))
            {
                var resource = new OtlpResource();
                resource.Attributes.Add("service.name", service);
                scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = Scope } };
                request.ResourceSpans.Add(new ResourceSpans { Resource = resource, ScopeSpans = { scopeSpans } });
                byService[service] = scopeSpans;
            }
            scopeSpans.Spans.Add(ToSpan(element, local, location));
        }
        return request;
    }

    private static OtlpSpan ToSpan(JsonElement zipkin, JsonElement? local, string location)
    {
        var traceId = OtlpMessageBuilder.RequiredString(zipkin, "traceId", location);
        if (traceId.Length == 16)
            traceId = new string('0', 16) + traceId;
        else if (traceId.Length != 32)
            throw new OtlpFormatException($"{location}: traceId must be 16 or 32 hex digits, got {traceId.Length} characters.");
        var start = OtlpMessageBuilder.OptionalNanos(zipkin, "timestamp", 1_000, location)
            ?? throw new OtlpFormatException($"{location}: timestamp (epoch microseconds) is missing.");
        var duration = OtlpMessageBuilder.OptionalNanos(zipkin, "duration", 1_000, location) ?? 0;
        var parentId = OtlpMessageBuilder.OptionalString(zipkin, "parentId", location);

        var span = new OtlpSpan
        {
            TraceId = OtlpMessageBuilder.Hex(traceId, 16, location, "traceId"),
            SpanId = OtlpMessageBuilder.Hex(OtlpMessageBuilder.RequiredString(zipkin, "id", location), 8, location, "id"),
            ParentSpanId = string.IsNullOrEmpty(parentId) ? Google.Protobuf.ByteString.Empty : OtlpMessageBuilder.Hex(parentId, 8, location, "parentId"),
            Name = OtlpMessageBuilder.OptionalString(zipkin, "name", location) ?? "",
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + duration,
            Kind = OtlpMessageBuilder.OptionalString(zipkin, "kind", location) switch
            {
                null => OtlpSpan.Types.SpanKind.Internal,
                "CLIENT" => OtlpSpan.Types.SpanKind.Client,
                "SERVER" => OtlpSpan.Types.SpanKind.Server,
                "PRODUCER" => OtlpSpan.Types.SpanKind.Producer,
                "CONSUMER" => OtlpSpan.Types.SpanKind.Consumer,
                var other => throw new OtlpFormatException($"{location}: kind must be CLIENT, SERVER, PRODUCER or CONSUMER, got '{other}'."),
            },
        };
        if (local is { } l)
            Endpoint(span.Attributes, l, "network.local", location + ".localEndpoint");
        if (OtlpMessageBuilder.OptionalObject(zipkin, "remoteEndpoint", location) is { } remote)
        {
            span.Attributes.Add("peer.service", OtlpMessageBuilder.OptionalString(remote, "serviceName", location + ".remoteEndpoint"));
            Endpoint(span.Attributes, remote, "network.peer", location + ".remoteEndpoint");
        }
        if (OtlpMessageBuilder.OptionalObject(zipkin, "tags", location) is { } tags)
            Tags(span, tags, location + ".tags");
        if (OtlpMessageBuilder.OptionalArray(zipkin, "annotations", location) is { } annotations)
            Annotations(span, annotations, location);
        return span;
    }

    private static void Endpoint(ICollection<KeyValue> attributes, JsonElement endpoint, string prefix, string location)
    {
        attributes.Add(prefix + ".address", OtlpMessageBuilder.OptionalString(endpoint, "ipv4", location)
            ?? OtlpMessageBuilder.OptionalString(endpoint, "ipv6", location));
        if (OtlpMessageBuilder.OptionalNumber(endpoint, "port", location) is { } port)
            attributes.Add(prefix + ".port", (long)port);
    }

    private static void Tags(OtlpSpan span, JsonElement tags, string location)
    {
        string? error = null;
        var otelStatus = "";
        string? otelDescription = null;
        foreach (var tag in tags.EnumerateObject())
        {
            var value = OtlpMessageBuilder.ScalarText(tag.Value)
                ?? throw new OtlpFormatException($"{location}.{tag.Name}: a tag value must be a string, got {tag.Value.ValueKind.ToString().ToLowerInvariant()}.");
            switch (tag.Name)
            {
                case "error":
                    error = value;
                    break;
                case "otel.status_code":
                    otelStatus = value;
                    break;
                case "otel.status_description":
                    otelDescription = value;
                    break;
            }
            span.Attributes.Add(tag.Name, value);
        }
        if (otelStatus == "ERROR" || error is not null)
            span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = otelDescription ?? error ?? "" };
        else if (otelStatus == "OK")
            span.Status = new Status { Code = Status.Types.StatusCode.Ok };
    }

    private static void Annotations(OtlpSpan span, JsonElement annotations, string location)
    {
        var i = 0;
        foreach (var annotation in annotations.EnumerateArray())
        {
            var annotationLocation = $"{location}.annotations[{i++}]";
            if (annotation.ValueKind != JsonValueKind.Object)
                throw new OtlpFormatException($"{annotationLocation}: an annotation must be an object.");
            var time = OtlpMessageBuilder.OptionalNanos(annotation, "timestamp", 1_000, annotationLocation)
                ?? throw new OtlpFormatException($"{annotationLocation}: timestamp is missing.");
            span.Events.Add(new OtlpSpan.Types.Event
            {
                Name = OtlpMessageBuilder.OptionalString(annotation, "value", annotationLocation) ?? "",
                TimeUnixNano = time,
            });
        }
    }
}
