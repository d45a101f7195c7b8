using System.Diagnostics;
using System.Text.Json.Nodes;
using Threadline.Tracer.Correlation;
using Threadline.Tracer.Invocation;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Tracer.Http;

/// <summary>The span of one third-party HTTP call. It ends when the response body has been read (or at the end of the invocation).</summary>
internal sealed class HttpCallSpan
{
    private const string RuntimeActivityName = "System.Net.Http.HttpRequestOut";
    private readonly InvocationScope _scope;
    private readonly Activity _activity;
    private readonly Activity? _restore;
    private int _ended;

    private HttpCallSpan(InvocationScope scope, Activity activity, Activity? restore, HttpRequestMessage request)
    {
        _scope = scope;
        _activity = activity;
        _restore = restore;
        Request = request;
    }

    public HttpRequestMessage Request { get; }

    public static HttpCallSpan? Start(InvocationScope scope, HttpRequestMessage request)
    {
        var parent = Activity.Current;
        // When something else enabled the runtime's own request activity, ours replaces it (same parent).
        var runtimeActivity = parent?.OperationName == RuntimeActivityName ? parent : null;
        if (runtimeActivity is not null)
            parent = runtimeActivity.Parent;
        var uri = request.RequestUri;
        var parentContext = parent?.Context ?? runtimeActivity?.Parent?.Context ?? default;
        var activity = scope.Pipeline.Source.StartActivity($"{request.Method.Method} {uri?.Host}", ActivityKind.Client, parentContext);
        if (activity is null)
            return null;
        var span = new HttpCallSpan(scope, activity, runtimeActivity ?? parent, request);
        activity.SetTag("http.request.method", request.Method.Method);
        if (uri is not null)
        {
            activity.SetTag("url.full", scope.Scrubber.ScrubQuery(uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped)));
            activity.SetTag("server.address", uri.Host);
            activity.SetTag("server.port", uri.Port);
            activity.SetTag("url.path", uri.AbsolutePath);
        }
        activity.SetTag("threadline.request.headers", span.Headers(request.Headers, request.Content?.Headers));
        if (scope.Options.CapturePayloads)
            span.SetBody("threadline.request", RequestBody.Read(request.Content), truncated: false, error: false);
        request.Headers.Remove("traceparent");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-01");
        scope.OnFinish(span.End);
        return span;
    }

    public void Responded(HttpResponseMessage response)
    {
        RestoreParent();
        var status = (int)response.StatusCode;
        _activity.SetTag("http.response.status_code", status);
        if (status >= 400)
            _activity.SetStatus(ActivityStatusCode.Error, $"HTTP {status}");
        _activity.SetTag("threadline.response.headers", Headers(response.Headers, response.Content?.Headers));
        var requestId = First(response, "x-amzn-RequestId") ?? First(response, "apigw-requestid");
        if (requestId is not null)
            _activity.SetTag("threadline.outbound.keys", new[] { CorrelationKeys.ApiGatewayRequest(requestId) });
        if (_scope.Options.CapturePayloads && response.Content is { } content && RequestBody.IsText(content.Headers.ContentType?.MediaType))
        {
            var limit = _scope.Options.MaxFieldBytes * (status >= 400 ? Math.Max(1, _scope.Options.ErrorSizeFactor) : 1);
            response.Content = new CapturingContent(content, limit, (bytes, truncated) =>
            {
                SetBody("threadline.response", Scrubber.AsText(bytes), truncated, status >= 400);
                End();
            });
            return;
        }
        End();
    }

    public void Exception(Exception exception) => SpanPayloads.SetError(_activity, exception);

    public void Failed(string reason)
    {
        RestoreParent();
        if (_activity.Status != ActivityStatusCode.Error)
            _activity.SetStatus(ActivityStatusCode.Error, reason);
        End();
    }

    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
            _activity.Stop();
    }

    private void SetBody(string attribute, string? text, bool truncated, bool error)
    {
        if (text is null)
            return;
        SpanPayloads.Set(_activity, attribute, _scope.Scrubber.ScrubText(text), _scope.Budget, error);
        if (truncated)
            SpanPayloads.MarkTruncated(_activity, attribute);
    }

    /// <summary>The rest of the runtime's send runs under the caller's span again, not under this one.</summary>
    private void RestoreParent()
    {
        if (Activity.Current == _activity)
            Activity.Current = _restore;
    }

    private string Headers(params System.Net.Http.Headers.HttpHeaders?[] sets)
    {
        var obj = new JsonObject();
        foreach (var set in sets)
        {
            if (set is null)
                continue;
            foreach (var (name, values) in set.NonValidated)
                obj[name] = _scope.Scrubber.ScrubHeaderValue(name, _scope.Scrubber.ScrubQuery(string.Join(", ", values)));
        }
        return obj.ToJsonString();
    }

    private static string? First(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
