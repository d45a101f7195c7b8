using Threadline.Analysis.Configuration;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Issues;
using Threadline.Telemetry;

namespace Threadline.Analysis.Ingest;

/// <summary>Reduces a span to <see cref="SpanDetails"/>, applying the user and VIP rules to it.</summary>
public sealed class SpanDetailsReader(AnalysisOptions options)
{
    public SpanDetails Read(SpanRecord span)
    {
        var a = span.Attributes;
        var r = span.Resource.Attributes;
        return new SpanDetails
        {
            TraceId = span.TraceId,
            SpanId = span.SpanId,
            ParentSpanId = span.ParentSpanId,
            StartTimeUnixNano = span.StartTimeUnixNano,
            Kind = span.Kind,
            Timeout = AttributeReader.Bool(a, "threadline.timeout") == true,
            Version = AttributeReader.String(a, "faas.version") ?? AttributeReader.String(r, "faas.version") ?? AttributeReader.String(r, "service.version"),
            CodeHash = AttributeReader.String(a, "threadline.code_hash") ?? AttributeReader.String(r, "threadline.code_hash"),
            MemoryBytes = AttributeReader.Long(a, "faas.max_memory") ?? AttributeReader.Long(r, "faas.max_memory"),
            Architecture = AttributeReader.String(a, "host.arch") ?? AttributeReader.String(r, "host.arch"),
            Exception = ExceptionOf(span),
            CallEndTimeUnixNano = span.Kind == SpanKind.Client ? span.EndTimeUnixNano : null,
            FailedCall = span.Kind == SpanKind.Client ? FailedCallOf(span) : null,
            User = ValueRuleReader.Read(options.UserRule, span),
            VipMarker = options.VipRule is { } vip && ValueRuleReader.Read(vip.Rule, span) is { } value && vip.Values.Contains(value),
            TriggerKeys = AttributeReader.Strings(a, "threadline.trigger.keys"),
            FailedKeys = AttributeReader.Strings(a, "threadline.trigger.failed_keys"),
            RecordKeys = AttributeReader.Strings(a, "threadline.record.keys") is { Count: > 0 } recordKeys ? recordKeys : null,
            RecordFailed = AttributeReader.String(a, "threadline.record.outcome") == "failed",
            RecordError = AttributeReader.String(a, "threadline.record.outcome") == "failed" ? span.StatusMessage : null,
            SkippedRanges = Batches.SkippedStreamRange.FromEvent(AttributeReader.String(a, "threadline.event")),
            DroppedKeys = Batches.DroppedAsyncEvents.KeysInEvent(AttributeReader.String(a, "threadline.event")),
        };
    }

    private static ExceptionFacts? ExceptionOf(SpanRecord span)
    {
        var exception = span.Events.LastOrDefault(e => e.Name == "exception");
        if (exception is null)
            return null;
        return new ExceptionFacts(
            AttributeReader.String(exception.Attributes, "exception.type"),
            AttributeReader.String(exception.Attributes, "exception.message"),
            StackFrames.Top(AttributeReader.String(exception.Attributes, "exception.stacktrace")));
    }

    /// <summary>A CLIENT span that answered 4xx/5xx or ended in error.</summary>
    private static FailedCall? FailedCallOf(SpanRecord span)
    {
        var a = span.Attributes;
        var status = (int?)(AttributeReader.Long(a, "http.response.status_code") ?? AttributeReader.Long(a, "http.status_code"));
        if (status is not >= 400 && span.StatusCode != StatusCode.Error)
            return null;
        return new FailedCall(Target(span), status, span.StatusMessage, span.EndTimeUnixNano);
    }

    /// <summary><c>POST api.example.com/v1/send</c> for HTTP, <c>SQS SendMessage</c> for AWS calls, else the span name.</summary>
    private static string Target(SpanRecord span)
    {
        var a = span.Attributes;
        if (AttributeReader.String(a, "rpc.service") is { } service)
            return AttributeReader.String(a, "rpc.method") is { } method ? $"{service} {method}" : service;
        var verb = AttributeReader.String(a, "http.request.method") ?? AttributeReader.String(a, "http.method");
        var host = AttributeReader.String(a, "server.address") ?? AttributeReader.String(a, "net.peer.name");
        var path = AttributeReader.String(a, "url.path");
        if ((host is null || path is null) && (AttributeReader.String(a, "url.full") ?? AttributeReader.String(a, "http.url")) is { } url
            && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            host ??= uri.Host;
            path ??= uri.AbsolutePath;
        }
        if (verb is null && host is null)
            return span.Name;
        return $"{verb} {host}{path}".Trim();
    }
}
