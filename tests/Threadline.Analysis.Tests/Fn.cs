using System.Text.Json;
using Google.Protobuf;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Resource;
using Threadline.Ingest.Protocol.Trace;
using SpanKind = Threadline.Ingest.Protocol.Trace.Span.Types.SpanKind;

namespace Threadline.Analysis.Tests;

/// <summary>A Lambda function as the tracer reports it (docs/correlation-attributes.md).</summary>
internal sealed record Fn(string Name, string Version = "v1", int MemoryMb = 1024, string? Arch = null)
{
    public Inv Invoke(DateTimeOffset start, double durationMs) => new(this, start, durationMs);
}

/// <summary>One invocation: its root span and the spans under it, built as the tracer records them.</summary>
internal sealed class Inv
{
    private static long _requests;

    public Inv(Fn fn, DateTimeOffset start, double durationMs)
    {
        Fn = fn;
        TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        SpanId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray().AsSpan(0, 8));
        StartNanos = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Root = new Span
        {
            TraceId = TraceId,
            SpanId = SpanId,
            Name = fn.Name,
            Kind = SpanKind.Server,
            StartTimeUnixNano = (ulong)StartNanos,
            EndTimeUnixNano = (ulong)(StartNanos + (long)(durationMs * 1_000_000)),
        };
        Attr("faas.name", fn.Name);
        Attr("faas.version", fn.Version);
        Attr("faas.invocation_id", $"req-{Interlocked.Increment(ref _requests)}-{Guid.NewGuid():n}");
        Root.Attributes.Add(new KeyValue { Key = "faas.max_memory", Value = new AnyValue { IntValue = fn.MemoryMb * 1024L * 1024L } });
        if (fn.Arch is not null)
            Attr("host.arch", fn.Arch);
    }

    public Fn Fn { get; }
    public ByteString TraceId { get; }
    public ByteString SpanId { get; }
    public long StartNanos { get; }
    public Span Root { get; }
    public List<Span> Children { get; } = [];

    public string Id => $"{Hex(TraceId)}-{Hex(SpanId)}";

    public Inv Attr(string key, string value)
    {
        Root.Attributes.Add(new KeyValue { Key = key, Value = new AnyValue { StringValue = value } });
        return this;
    }

    public Inv Attr(string key, bool value)
    {
        Root.Attributes.Add(new KeyValue { Key = key, Value = new AnyValue { BoolValue = value } });
        return this;
    }

    public Inv Strings(Span span, string key, params string[] values)
    {
        var array = new ArrayValue();
        array.Values.AddRange(values.Select(v => new AnyValue { StringValue = v }));
        span.Attributes.Add(new KeyValue { Key = key, Value = new AnyValue { ArrayValue = array } });
        return this;
    }

    /// <summary>Entered through API Gateway on <paramref name="route"/> (<c>POST /payments</c>), with optional user header.</summary>
    public Inv Http(string route, string? userHeader = null)
    {
        Root.Kind = SpanKind.Server;
        Attr("faas.trigger", "http");
        Attr("threadline.trigger.kind", "apigateway");
        Attr("threadline.trigger.resource", route);
        var parts = route.Split(' ', 2);
        var headers = userHeader is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-User-Id"] = userHeader };
        Attr("threadline.event", JsonSerializer.Serialize(new { httpMethod = parts[0], resource = parts[1], headers, requestContext = new { requestId = Guid.NewGuid().ToString() } }));
        return this;
    }

    public Inv Schedule(string rule)
    {
        Root.Kind = SpanKind.Consumer;
        Attr("faas.trigger", "timer");
        Attr("threadline.trigger.kind", "schedule");
        Attr("threadline.trigger.resource", rule);
        return this;
    }

    /// <summary>Consumes SQS message <paramref name="messageId"/> from <paramref name="queue"/>.</summary>
    public Inv FromQueue(string queue, string messageId)
    {
        Root.Kind = SpanKind.Consumer;
        Attr("faas.trigger", "pubsub");
        Attr("threadline.trigger.kind", "sqs");
        Attr("threadline.trigger.resource", queue);
        return Strings(Root, "threadline.trigger.keys", $"sqs:msg:{messageId}");
    }

    /// <summary>Sends SQS message <paramref name="messageId"/> to <paramref name="queue"/>.</summary>
    public Inv SendsTo(string queue, string messageId)
    {
        var send = Child("SQS.SendMessage", SpanKind.Producer, 1, 2);
        send.Attributes.Add(new KeyValue { Key = "rpc.system", Value = new AnyValue { StringValue = "aws-api" } });
        send.Attributes.Add(new KeyValue { Key = "rpc.service", Value = new AnyValue { StringValue = "SQS" } });
        send.Attributes.Add(new KeyValue { Key = "rpc.method", Value = new AnyValue { StringValue = "SendMessage" } });
        send.Attributes.Add(new KeyValue { Key = "threadline.resource", Value = new AnyValue { StringValue = queue } });
        return Strings(send, "threadline.outbound.keys", $"sqs:msg:{messageId}");
    }

    public Inv User(string user) => Attr("enduser.id", user);

    public Inv Cold() => Attr("faas.coldstart", true);

    /// <summary>The handler threw: error status and an exception event.</summary>
    public Inv Throws(string type, string message, string? stack = null)
    {
        Root.Status = new Status { Code = Status.Types.StatusCode.Error, Message = message };
        var exception = new Span.Types.Event { Name = "exception", TimeUnixNano = Root.EndTimeUnixNano };
        exception.Attributes.Add(new KeyValue { Key = "exception.type", Value = new AnyValue { StringValue = type } });
        exception.Attributes.Add(new KeyValue { Key = "exception.message", Value = new AnyValue { StringValue = message } });
        if (stack is not null)
            exception.Attributes.Add(new KeyValue { Key = "exception.stacktrace", Value = new AnyValue { StringValue = stack } });
        Root.Events.Add(exception);
        return this;
    }

    /// <summary>The tracer's deadline: error status and <c>threadline.timeout</c>.</summary>
    public Inv TimesOut()
    {
        Root.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "Lambda deadline reached before the handler returned" };
        return Attr("threadline.timeout", true);
    }

    /// <summary>An outgoing HTTP call that answered <paramref name="status"/>.</summary>
    public Inv Calls(string method, string url, int status, int fromMs = 2, int toMs = 5)
    {
        var uri = new Uri(url);
        var call = Child($"{method}", SpanKind.Client, fromMs, toMs);
        call.Attributes.Add(new KeyValue { Key = "http.request.method", Value = new AnyValue { StringValue = method } });
        call.Attributes.Add(new KeyValue { Key = "url.full", Value = new AnyValue { StringValue = url } });
        call.Attributes.Add(new KeyValue { Key = "server.address", Value = new AnyValue { StringValue = uri.Host } });
        call.Attributes.Add(new KeyValue { Key = "url.path", Value = new AnyValue { StringValue = uri.AbsolutePath } });
        call.Attributes.Add(new KeyValue { Key = "http.response.status_code", Value = new AnyValue { IntValue = status } });
        if (status >= 500)
            call.Status = new Status { Code = Status.Types.StatusCode.Error };
        return this;
    }

    private Span Child(string name, SpanKind kind, int fromMs, int toMs)
    {
        var span = new Span
        {
            TraceId = TraceId,
            SpanId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray().AsSpan(0, 8)),
            ParentSpanId = SpanId,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = (ulong)(StartNanos + fromMs * 1_000_000L),
            EndTimeUnixNano = (ulong)(StartNanos + toMs * 1_000_000L),
        };
        Children.Add(span);
        return span;
    }

    public static string Hex(ByteString id) => Convert.ToHexString(id.Span).ToLowerInvariant();

    /// <summary>One OTLP request with each invocation under its own function's resource.</summary>
    public static ExportTraceServiceRequest Request(IEnumerable<Inv> invocations)
    {
        var request = new ExportTraceServiceRequest();
        foreach (var invocation in invocations)
        {
            var resource = new Resource();
            resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = invocation.Fn.Name } });
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Threadline.Tracer" } };
            scope.Spans.Add(invocation.Root);
            scope.Spans.AddRange(invocation.Children);
            var resourceSpans = new ResourceSpans { Resource = resource };
            resourceSpans.ScopeSpans.Add(scope);
            request.ResourceSpans.Add(resourceSpans);
        }
        return request;
    }
}
