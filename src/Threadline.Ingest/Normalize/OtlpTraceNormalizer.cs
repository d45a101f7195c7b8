using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Telemetry;
using OtlpSpan = Threadline.Ingest.Protocol.Trace.Span;

namespace Threadline.Ingest.Normalize;

/// <summary>Turns an OTLP trace export request into <see cref="SpanRecord"/>s, or rejects it whole.</summary>
public static class OtlpTraceNormalizer
{
    /// <exception cref="OtlpFormatException">Any span has a malformed id or timestamp.</exception>
    public static List<SpanRecord> Normalize(ExportTraceServiceRequest request)
    {
        var spans = new List<SpanRecord>();
        for (var r = 0; r < request.ResourceSpans.Count; r++)
        {
            var resourceSpans = request.ResourceSpans[r];
            var resource = ResourceScopeFactory.CreateResource(resourceSpans.Resource, resourceSpans.SchemaUrl);
            for (var s = 0; s < resourceSpans.ScopeSpans.Count; s++)
            {
                var scopeSpans = resourceSpans.ScopeSpans[s];
                var scope = ResourceScopeFactory.CreateScope(scopeSpans.Scope);
                for (var i = 0; i < scopeSpans.Spans.Count; i++)
                {
                    var location = $"resourceSpans[{r}].scopeSpans[{s}].spans[{i}]";
                    spans.Add(ToRecord(scopeSpans.Spans[i], resource, scope, location));
                }
            }
        }
        return spans;
    }

    private static SpanRecord ToRecord(OtlpSpan span, ResourceRecord resource, ScopeRecord scope, string location)
    {
        if (span.StartTimeUnixNano > long.MaxValue || span.EndTimeUnixNano > long.MaxValue)
            throw new OtlpFormatException($"{location}: timestamps must be below 2^63 nanoseconds.");

        return new SpanRecord
        {
            TraceId = IdReader.RequiredTraceId(span.TraceId, location),
            SpanId = IdReader.RequiredSpanId(span.SpanId, location),
            ParentSpanId = IdReader.OptionalSpanId(span.ParentSpanId, location, "parentSpanId"),
            TraceState = NormalizationLimits.OptionalText(span.TraceState),
            Flags = span.Flags,
            Name = NormalizationLimits.Text(span.Name),
            Kind = (SpanKind)Math.Clamp((int)span.Kind, 0, 5),
            StartTimeUnixNano = (long)span.StartTimeUnixNano,
            EndTimeUnixNano = (long)span.EndTimeUnixNano,
            StatusCode = span.Status is null ? StatusCode.Unset : (StatusCode)Math.Clamp((int)span.Status.Code, 0, 2),
            StatusMessage = span.Status is null ? null : NormalizationLimits.OptionalText(span.Status.Message),
            Attributes = AnyValueConverter.ToAttributes(span.Attributes),
            Events = ToEvents(span, location),
            Links = ToLinks(span, location),
            DroppedAttributesCount = span.DroppedAttributesCount + AnyValueConverter.Excess(span.Attributes),
            DroppedEventsCount = span.DroppedEventsCount,
            DroppedLinksCount = span.DroppedLinksCount,
            Resource = resource,
            Scope = scope,
        };
    }

    private static IReadOnlyList<SpanEvent> ToEvents(OtlpSpan span, string location)
    {
        if (span.Events.Count == 0)
            return [];
        var events = new SpanEvent[span.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var e = span.Events[i];
            if (e.TimeUnixNano > long.MaxValue)
                throw new OtlpFormatException($"{location}.events[{i}]: timeUnixNano must be below 2^63 nanoseconds.");
            events[i] = new SpanEvent(NormalizationLimits.Text(e.Name), (long)e.TimeUnixNano, AnyValueConverter.ToAttributes(e.Attributes),
                e.DroppedAttributesCount + AnyValueConverter.Excess(e.Attributes));
        }
        return events;
    }

    private static IReadOnlyList<SpanLink> ToLinks(OtlpSpan span, string location)
    {
        if (span.Links.Count == 0)
            return [];
        var links = new SpanLink[span.Links.Count];
        for (var i = 0; i < links.Length; i++)
        {
            var link = span.Links[i];
            var linkLocation = $"{location}.links[{i}]";
            links[i] = new SpanLink(
                IdReader.RequiredTraceId(link.TraceId, linkLocation),
                IdReader.RequiredSpanId(link.SpanId, linkLocation),
                NormalizationLimits.OptionalText(link.TraceState),
                AnyValueConverter.ToAttributes(link.Attributes),
                link.Flags,
                link.DroppedAttributesCount + AnyValueConverter.Excess(link.Attributes));
        }
        return links;
    }
}
