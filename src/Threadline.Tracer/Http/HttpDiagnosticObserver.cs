using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenTelemetry;
using Threadline.Tracer.Aws;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer.Http;

/// <summary>
/// Sees every HttpClient request of the process through the runtime's <c>HttpHandlerDiagnosticListener</c>
/// (no per-client code). Only the request/response/exception events are enabled, so the runtime creates no
/// activity of its own; the span is ours and the runtime propagates it as <c>traceparent</c>. Requests made
/// by the AWS SDK (already recorded by the pipeline hook) and by the exporter itself are skipped.
/// </summary>
internal sealed class HttpDiagnosticObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    public const string ListenerName = "HttpHandlerDiagnosticListener";
    private const string RequestEvent = "System.Net.Http.Request";
    private const string ResponseEvent = "System.Net.Http.Response";
    private const string ExceptionEvent = "System.Net.Http.Exception";
    private static int s_installed;
    private readonly ConcurrentDictionary<Guid, HttpCallSpan> _byId = new();
    private readonly ConditionalWeakTable<HttpRequestMessage, HttpCallSpan> _byRequest = [];

    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
            DiagnosticListener.AllListeners.Subscribe(new HttpDiagnosticObserver());
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == ListenerName)
            value.Subscribe(this, static (name, _, _) => name is RequestEvent or ResponseEvent or ExceptionEvent);
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        switch (value.Key)
        {
            case RequestEvent:
                Guard.Run("http.request", () => OnRequest(value.Value));
                break;
            case ResponseEvent:
                Guard.Run("http.response", () => OnResponse(value.Value));
                break;
            case ExceptionEvent:
                Guard.Run("http.exception", () => OnException(value.Value));
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    private void OnRequest(object? payload)
    {
        if (Sdk.SuppressInstrumentation || AwsCallSpan.IsInsideCall
            || InvocationScope.Current is not { IsCompleted: false } scope || !scope.Options.CaptureHttp
            || Members.Get(payload, "Request") is not HttpRequestMessage request
            || Members.Get(payload, "LoggingRequestId") is not Guid id)
            return;
        var span = HttpCallSpan.Start(scope, request);
        if (span is null)
            return;
        _byId[id] = span;
        _byRequest.AddOrUpdate(request, span);
    }

    private void OnResponse(object? payload)
    {
        if (Members.Get(payload, "LoggingRequestId") is not Guid id || !_byId.TryRemove(id, out var span))
            return;
        _byRequest.Remove(span.Request);
        if (Members.Get(payload, "Response") is HttpResponseMessage response)
            span.Responded(response);
        else
            span.Failed(Members.Get(payload, "RequestTaskStatus") is TaskStatus status ? $"request {status}" : "no response");
    }

    private void OnException(object? payload)
    {
        if (Members.Get(payload, "Request") is HttpRequestMessage request && _byRequest.TryGetValue(request, out var span)
            && Members.Get(payload, "Exception") is Exception exception)
            span.Exception(exception);
    }
}
