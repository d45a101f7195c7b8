using System.Text.Json;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Trace;
using OtlpResource = Threadline.Ingest.Protocol.Resource.Resource;
using OtlpSpan = Threadline.Ingest.Protocol.Trace.Span;

namespace Threadline.Ingest.Normalize.XRay;

/// <summary>
/// Turns one X-Ray segment document (a segment with its nested subsegments, or one independent subsegment) into an
/// OTLP request whose spans carry the attributes the stitcher reads (<c>docs/correlation-attributes.md</c>): an AWS
/// call's service, operation, request id, queue and message id; HTTP; annotations; errors as exception events.
/// Ids keep their bits: trace id <c>1-5f84c7a1-…</c> is the 16 bytes <c>5f84c7a1…</c>, segment ids are span ids,
/// so an OpenTelemetry consumer's link to an <c>AWSTraceHeader</c> points at the X-Ray subsegment that sent it.
/// </summary>
public static class XRaySegmentTranslator
{
    /// <summary>The service of a document that names none (an independent subsegment, as the SDK sends them in Lambda).</summary>
    public const string UnknownService = ResourceScopeFactory.UnknownService;

    private static readonly HashSet<string> ProducerOperations =
        ["SendMessage", "SendMessageBatch", "Publish", "PublishBatch", "PutRecord", "PutRecords", "PutEvents"];

    /// <exception cref="OtlpFormatException">The document is not a segment: the message says where.</exception>
    public static XRayDocument Translate(JsonElement document)
    {
        const string location = "segment";
        if (document.ValueKind != JsonValueKind.Object)
            throw new OtlpFormatException($"The segment document must be a JSON object, got {document.ValueKind.ToString().ToLowerInvariant()}.");

        var independent = OtlpMessageBuilder.OptionalString(document, "type", location) == "subsegment";
        var traceIdText = OtlpMessageBuilder.RequiredString(document, "trace_id", location);
        var traceId = TraceId(traceIdText, location);
        var service = independent ? UnknownService : OtlpMessageBuilder.RequiredString(document, "name", location);

        var scopeSpans = new ScopeSpans { Scope = Scope(document, location) };
        var parentId = OtlpMessageBuilder.OptionalString(document, "parent_id", location);
        var parent = parentId is null ? Google.Protobuf.ByteString.Empty : OtlpMessageBuilder.Hex(parentId, 8, location, "parent_id");
        Add(scopeSpans.Spans, document, traceId, parent, isSegment: !independent, location);

        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(new ResourceSpans { Resource = Resource(document, service, location), ScopeSpans = { scopeSpans } });
        return new XRayDocument(request, independent && parentId is not null ? parent : null,
            OtlpMessageBuilder.Flag(document, "in_progress"));
    }

    /// <summary><c>1-{8 hex: epoch seconds}-{24 hex}</c> as 16 bytes.</summary>
    public static Google.Protobuf.ByteString TraceId(string text, string location)
    {
        var parts = text.Split('-');
        if (parts.Length != 3 || parts[0] != "1" || parts[1].Length != 8 || parts[2].Length != 24)
            throw new OtlpFormatException($"{location}: trace_id must look like 1-5f84c7a1-1972105cc0b9d32221aad483, got '{(text.Length > 40 ? text[..40] + "…" : text)}'.");
        return OtlpMessageBuilder.Hex(parts[1] + parts[2], 16, location, "trace_id");
    }

    private static void Add(ICollection<OtlpSpan> spans, JsonElement doc, Google.Protobuf.ByteString traceId, Google.Protobuf.ByteString parent,
        bool isSegment, string location)
    {
        var id = OtlpMessageBuilder.Hex(OtlpMessageBuilder.RequiredString(doc, "id", location), 8, location, "id");
        var name = OtlpMessageBuilder.RequiredString(doc, "name", location);
        var start = OtlpMessageBuilder.OptionalNanos(doc, "start_time", 1_000_000_000, location)
            ?? throw new OtlpFormatException($"{location}: start_time is missing.");
        var end = OtlpMessageBuilder.OptionalNanos(doc, "end_time", 1_000_000_000, location) ?? start;
        var aws = OtlpMessageBuilder.OptionalObject(doc, "aws", location);
        var operation = aws is { } a ? OtlpMessageBuilder.OptionalString(a, "operation", location + ".aws") : null;
        var isAwsCall = OtlpMessageBuilder.OptionalString(doc, "namespace", location) == "aws" && operation is not null;

        var span = new OtlpSpan
        {
            TraceId = traceId,
            SpanId = id,
            ParentSpanId = parent,
            Name = isAwsCall ? $"{name}.{operation}" : name,
            StartTimeUnixNano = start,
            EndTimeUnixNano = Math.Max(start, end),
            Kind = isSegment ? Span.Types.SpanKind.Server
                : isAwsCall ? (ProducerOperations.Contains(operation!) ? Span.Types.SpanKind.Producer : Span.Types.SpanKind.Client)
                : OtlpMessageBuilder.OptionalString(doc, "namespace", location) == "remote" ? Span.Types.SpanKind.Client
                : Span.Types.SpanKind.Internal,
        };
        if (isAwsCall)
            AwsCallAttributes(span.Attributes, name, operation!);
        if (aws is { } awsObject)
            AwsAttributes(span.Attributes, awsObject);
        if (OtlpMessageBuilder.OptionalObject(doc, "http", location) is { } http)
            HttpAttributes(span.Attributes, http, location + ".http");
        if (OtlpMessageBuilder.OptionalObject(doc, "annotations", location) is { } annotations)
        {
            foreach (var annotation in annotations.EnumerateObject())
                span.Attributes.AddJson(annotation.Name, annotation.Value);
        }
        if (OtlpMessageBuilder.OptionalObject(doc, "metadata", location) is { } metadata)
        {
            foreach (var space in metadata.EnumerateObject())
                span.Attributes.Add("aws.xray.metadata." + space.Name, space.Value.GetRawText());
        }
        if (OtlpMessageBuilder.OptionalObject(doc, "sql", location) is { } sql)
        {
            span.Attributes.Add("db.query.text", OtlpMessageBuilder.OptionalString(sql, "sanitized_query", location + ".sql"));
            span.Attributes.Add("db.system", OtlpMessageBuilder.OptionalString(sql, "database_type", location + ".sql"));
        }
        span.Attributes.Add("enduser.id", OtlpMessageBuilder.OptionalString(doc, "user", location));
        SetStatus(span, doc, location);
        Links(span, doc, location);
        spans.Add(span);

        if (OtlpMessageBuilder.OptionalArray(doc, "subsegments", location) is { } children)
        {
            var i = 0;
            foreach (var child in children.EnumerateArray())
            {
                var childLocation = $"{location}.subsegments[{i++}]";
                if (child.ValueKind != JsonValueKind.Object)
                    throw new OtlpFormatException($"{childLocation}: a subsegment must be an object.");
                Add(spans, child, traceId, id, isSegment: false, childLocation);
            }
        }
    }

    /// <summary>The OpenTelemetry attributes of an AWS SDK call; X-Ray names the subsegment after the service.</summary>
    private static void AwsCallAttributes(ICollection<KeyValue> attributes, string service, string operation)
    {
        attributes.Add("rpc.system", "aws-api");
        attributes.Add("rpc.service", service);
        attributes.Add("rpc.method", operation);
    }

    private static void AwsAttributes(ICollection<KeyValue> attributes, JsonElement aws)
    {
        foreach (var property in aws.EnumerateObject())
        {
            switch (property.Name)
            {
                case "operation":
                    break;
                case "region":
                    attributes.Add("cloud.region", OtlpMessageBuilder.ScalarText(property.Value));
                    break;
                case "request_id":
                    attributes.Add("aws.request_id", OtlpMessageBuilder.ScalarText(property.Value));
                    break;
                case "message_id":
                    attributes.Add("messaging.message.id", OtlpMessageBuilder.ScalarText(property.Value));
                    break;
                case "queue_url" when OtlpMessageBuilder.ScalarText(property.Value) is { } url:
                    attributes.Add("aws.sqs.queue_url", url);
                    attributes.Add("messaging.system", "aws_sqs");
                    attributes.Add("messaging.destination.name", url.TrimEnd('/').Split('/')[^1]);
                    break;
                case "topic_arn" when OtlpMessageBuilder.ScalarText(property.Value) is { } arn:
                    attributes.Add("aws.sns.topic.arn", arn);
                    attributes.Add("messaging.system", "aws_sns");
                    attributes.Add("messaging.destination.name", arn.Split(':')[^1]);
                    break;
                case "table_name" when OtlpMessageBuilder.ScalarText(property.Value) is { } table:
                    attributes.AddStrings("aws.dynamodb.table_names", [table]);
                    break;
                case "bucket_name":
                    attributes.Add("aws.s3.bucket", OtlpMessageBuilder.ScalarText(property.Value));
                    break;
                case "key_name":
                    attributes.Add("aws.s3.key", OtlpMessageBuilder.ScalarText(property.Value));
                    break;
                case "function_name":
                    attributes.Add("faas.invoked_name", OtlpMessageBuilder.ScalarText(property.Value));
                    break;
                case "stream_name":
                    attributes.Add("aws.kinesis.stream_name", OtlpMessageBuilder.ScalarText(property.Value));
                    break;
                case "xray":
                    break; // the SDK's name and version: on the scope
                default:
                    attributes.AddJson("aws." + property.Name, property.Value);
                    break;
            }
        }
    }

    private static void HttpAttributes(ICollection<KeyValue> attributes, JsonElement http, string location)
    {
        if (OtlpMessageBuilder.OptionalObject(http, "request", location) is { } request)
        {
            attributes.Add("http.request.method", OtlpMessageBuilder.OptionalString(request, "method", location + ".request"));
            var url = OtlpMessageBuilder.OptionalString(request, "url", location + ".request");
            attributes.Add("url.full", url);
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
                attributes.Add("server.address", uri.Host);
            attributes.Add("client.address", OtlpMessageBuilder.OptionalString(request, "client_ip", location + ".request"));
            attributes.Add("user_agent.original", OtlpMessageBuilder.OptionalString(request, "user_agent", location + ".request"));
        }
        if (OtlpMessageBuilder.OptionalObject(http, "response", location) is { } response)
        {
            if (OtlpMessageBuilder.OptionalNumber(response, "status", location + ".response") is { } status)
                attributes.Add("http.response.status_code", (long)status);
            if (OtlpMessageBuilder.OptionalNumber(response, "content_length", location + ".response") is { } length)
                attributes.Add("http.response.body.size", (long)length);
        }
    }

    /// <summary><c>fault</c> (5xx, exceptions) or <c>error</c> (4xx) is an error status; the cause's exceptions become events.</summary>
    private static void SetStatus(OtlpSpan span, JsonElement doc, string location)
    {
        var fault = OtlpMessageBuilder.Flag(doc, "fault");
        var error = OtlpMessageBuilder.Flag(doc, "error");
        var throttle = OtlpMessageBuilder.Flag(doc, "throttle");
        if (throttle)
            span.Attributes.Add("aws.xray.throttle", true);
        string? message = null;
        if (doc.TryGetProperty("cause", out var cause) && cause.ValueKind == JsonValueKind.Object
            && OtlpMessageBuilder.OptionalArray(cause, "exceptions", location + ".cause") is { } exceptions)
        {
            foreach (var exception in exceptions.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
            {
                var type = OtlpMessageBuilder.OptionalString(exception, "type", location + ".cause");
                var text = OtlpMessageBuilder.OptionalString(exception, "message", location + ".cause");
                message ??= text ?? type;
                var exceptionEvent = new Span.Types.Event { Name = "exception", TimeUnixNano = span.EndTimeUnixNano };
                exceptionEvent.Attributes.Add("exception.type", type);
                exceptionEvent.Attributes.Add("exception.message", text);
                exceptionEvent.Attributes.Add("exception.stacktrace", StackTrace(exception));
                span.Events.Add(exceptionEvent);
            }
        }
        if (fault || error)
            span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = message ?? (fault ? "fault" : "error") };
    }

    private static string? StackTrace(JsonElement exception)
    {
        if (!exception.TryGetProperty("stack", out var stack) || stack.ValueKind != JsonValueKind.Array)
            return null;
        var lines = stack.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object).Select(frame =>
            $"at {ScalarOrEmpty(frame, "label")} ({ScalarOrEmpty(frame, "path")}:{ScalarOrEmpty(frame, "line")})");
        return string.Join('\n', lines);
    }

    private static string ScalarOrEmpty(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? OtlpMessageBuilder.ScalarText(value) ?? "" : "";

    /// <summary>X-Ray span links (<c>links[].trace_id</c>, <c>id</c>): the in-band X-Ray context, so <c>threadline.link.via</c> = xray.</summary>
    private static void Links(OtlpSpan span, JsonElement doc, string location)
    {
        if (OtlpMessageBuilder.OptionalArray(doc, "links", location) is not { } links)
            return;
        var i = 0;
        foreach (var link in links.EnumerateArray())
        {
            var linkLocation = $"{location}.links[{i++}]";
            if (link.ValueKind != JsonValueKind.Object)
                throw new OtlpFormatException($"{linkLocation}: a link must be an object.");
            var otlpLink = new Span.Types.Link
            {
                TraceId = TraceId(OtlpMessageBuilder.RequiredString(link, "trace_id", linkLocation), linkLocation),
                SpanId = OtlpMessageBuilder.Hex(OtlpMessageBuilder.RequiredString(link, "id", linkLocation), 8, linkLocation, "id"),
            };
            otlpLink.Attributes.Add("threadline.link.via", "xray");
            if (OtlpMessageBuilder.OptionalObject(link, "attributes", linkLocation) is { } attributes)
            {
                foreach (var attribute in attributes.EnumerateObject())
                    otlpLink.Attributes.AddJson(attribute.Name, attribute.Value);
            }
            span.Links.Add(otlpLink);
        }
    }

    private static OtlpResource Resource(JsonElement doc, string service, string location)
    {
        var resource = new OtlpResource();
        resource.Attributes.Add("service.name", service);
        resource.Attributes.Add("cloud.provider", "aws");
        if (OtlpMessageBuilder.OptionalString(doc, "origin", location) is { } origin)
        {
            resource.Attributes.Add("aws.xray.origin", origin);
            resource.Attributes.Add("cloud.platform", origin switch
            {
                "AWS::Lambda::Function" => "aws_lambda",
                "AWS::EC2::Instance" => "aws_ec2",
                "AWS::ECS::Container" => "aws_ecs",
                "AWS::EKS::Container" => "aws_eks",
                "AWS::ElasticBeanstalk::Environment" => "aws_elastic_beanstalk",
                _ => null,
            });
        }
        if (OtlpMessageBuilder.OptionalObject(doc, "service", location) is { } serviceInfo)
        {
            var version = OtlpMessageBuilder.OptionalString(serviceInfo, "version", location + ".service");
            resource.Attributes.Add("service.version", version is "unknown" ? null : version);
            resource.Attributes.Add("process.runtime.name", OtlpMessageBuilder.OptionalString(serviceInfo, "runtime", location + ".service"));
            resource.Attributes.Add("process.runtime.version", OtlpMessageBuilder.OptionalString(serviceInfo, "runtime_version", location + ".service"));
        }
        return resource;
    }

    private static InstrumentationScope Scope(JsonElement doc, string location)
    {
        var xray = OtlpMessageBuilder.OptionalObject(doc, "aws", location) is { } aws ? OtlpMessageBuilder.OptionalObject(aws, "xray", location + ".aws") : null;
        return new InstrumentationScope
        {
            Name = (xray is { } x ? OtlpMessageBuilder.OptionalString(x, "package", location + ".aws.xray") ?? OtlpMessageBuilder.OptionalString(x, "sdk", location + ".aws.xray") : null) ?? "aws-xray",
            Version = (xray is { } y ? OtlpMessageBuilder.OptionalString(y, "sdk_version", location + ".aws.xray") : null) ?? "",
        };
    }
}

/// <summary>
/// One translated segment document. <see cref="FacadeParent"/> is the parent id of an independent subsegment: in
/// Lambda, the function's facade segment, which never reaches Threadline (see <c>XRayFacades</c>).
/// <see cref="InProgress"/>: the SDK will send the finished document again.
/// </summary>
public sealed record XRayDocument(ExportTraceServiceRequest Request, Google.Protobuf.ByteString? FacadeParent, bool InProgress);
