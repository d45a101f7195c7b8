using System.Diagnostics;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Threadline.Tracer.Invocation;
using Threadline.Tracer.Json;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Tracer.Aws;

/// <summary>The span of one AWS SDK call made during an invocation.</summary>
internal sealed class AwsCallSpan : IDisposable
{
    private static readonly AsyncLocal<AwsCallSpan?> CurrentCall = new();
    private const string Dropped = "[dropped: secrets service]";
    private const int MaxWireBytes = 1024 * 1024;
    private readonly InvocationScope _scope;
    private readonly AwsOperation _op;
    private readonly Activity _activity;
    private readonly AwsCallSpan? _outer;
    private byte[]? _wire;
    private string? _form;

    private AwsCallSpan(InvocationScope scope, AwsOperation op, Activity activity)
    {
        _scope = scope;
        _op = op;
        _activity = activity;
        _outer = CurrentCall.Value;
        CurrentCall.Value = this;
    }

    /// <summary>True while an AWS SDK call is in flight here: its own HTTP request is not recorded again.</summary>
    public static bool IsInsideCall => CurrentCall.Value is not null;

    /// <summary>The call whose pipeline is running here (for the wire capture step inside the marshaller).</summary>
    public static AwsCallSpan? Current => CurrentCall.Value;

    public static AwsCallSpan? Start(IExecutionContext context)
    {
        if (InvocationScope.Current is not { IsCompleted: false } scope || !scope.Options.CaptureAws || CurrentCall.Value is not null)
            return null;
        var op = AwsOperation.From(context.RequestContext);
        var activity = scope.Pipeline.Source.StartActivity(op.SpanName, op.Kind);
        if (activity is null)
            return null;
        activity.SetTag("rpc.system", "aws-api");
        activity.SetTag("rpc.service", op.Service);
        activity.SetTag("rpc.method", op.Operation);
        if (op.Resource is not null)
            activity.SetTag("threadline.resource", op.Resource);
        if (scope.Options.InjectTraceContext && TraceContextInjector.Inject(op, context.RequestContext.OriginalRequest, activity) > 0)
            activity.SetTag("threadline.inband", "traceparent");
        return new AwsCallSpan(scope, op, activity);
    }

    public void Succeeded(IExecutionContext context)
    {
        var response = context.ResponseContext?.Response;
        var http = context.ResponseContext?.HttpResponse;
        string? Header(string name) => http is not null && http.IsHeaderPresent(name) ? http.GetHeaderValue(name) : null;
        SetTag("aws.request_id", OutboundKeys.RequestId(response) ?? Header("x-amzn-RequestId") ?? Header("x-amz-request-id"));
        if (http is not null)
            _activity.SetTag("http.response.status_code", (int)http.StatusCode);

        var request = context.RequestContext.OriginalRequest;
        var keys = OutboundKeys.Extract(_op, request, response, Header);
        if (keys.Count > 0)
            _activity.SetTag("threadline.outbound.keys", keys.ToArray());
        var wire = _wire;
        if (_op.Service == "DynamoDB" && wire is not null)
        {
            var writes = DynamoDbWrites.Extract(_op.Operation, wire);
            if (writes.Count > 0)
            {
                _activity.SetTag("threadline.dynamodb.pairs", writes.Select(w => w.Pairs).ToArray());
                _activity.SetTag("threadline.dynamodb.tables", writes.Select(w => w.Table).ToArray());
            }
        }
        RecordPayloads(context, wire, response, error: false);
    }

    public void Failed(IExecutionContext context, Exception exception)
    {
        if (exception is AmazonServiceException service)
        {
            SetTag("aws.request_id", service.RequestId);
            _activity.SetTag("http.response.status_code", (int)service.StatusCode);
            SetTag("aws.error_code", service.ErrorCode);
        }
        SpanPayloads.SetError(_activity, exception);
        RecordPayloads(context, _wire, null, error: true);
    }

    public void Dispose()
    {
        CurrentCall.Value = _outer;
        _activity.Stop();
    }

    private void RecordPayloads(IExecutionContext context, byte[]? wire, object? response, bool error)
    {
        if (!_scope.Options.CapturePayloads)
            return;
        if (_op.DropsBodies)
        {
            _activity.SetTag("threadline.request", Dropped);
            _activity.SetTag("threadline.response", Dropped);
            return;
        }
        var requestText = wire is not null ? Scrubber.AsText(wire) ?? $"[binary {wire.Length} bytes]"
            : _form ?? PayloadJson.ToText(context.RequestContext.OriginalRequest);
        SpanPayloads.Set(_activity, "threadline.request", requestText is null ? null : _scope.Scrubber.ScrubText(requestText), _scope.Budget, error);
        var responseText = PayloadJson.ToText(response);
        SpanPayloads.Set(_activity, "threadline.response", responseText is null ? null : _scope.Scrubber.ScrubText(responseText), _scope.Budget, error);
    }

    /// <summary>Keeps the marshalled request body: the SDK releases it once the request is sent.</summary>
    public void CaptureWire(IRequest request)
    {
        _wire = request.Content is { Length: > 0 } content && request.ContentStream is null ? content : null;
        _wire ??= TextStreamBody(request);
        _form = _wire is null ? FormBody(request) : null;
    }

    /// <summary>JSON and XML protocols marshal into a rewindable stream; it is copied and rewound (object bodies are not).</summary>
    private static byte[]? TextStreamBody(IRequest request)
    {
        if (request.ContentStream is not { CanSeek: true, Length: > 0 and <= MaxWireBytes } stream
            || !request.Headers.TryGetValue("Content-Type", out var type) || !Http.RequestBody.IsText(type.Split(';')[0].Trim()))
            return null;
        var position = stream.Position;
        try
        {
            stream.Position = 0;
            var copy = new MemoryStream((int)stream.Length);
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        finally
        {
            stream.Position = position;
        }
    }

    /// <summary>Query-protocol services (SNS, STS...) keep their parameters in the request until it is sent.</summary>
    private static string? FormBody(IRequest? request)
    {
        if (request?.ParameterCollection is not { Count: > 0 } parameters)
            return null;
        var form = new StringBuilder();
        foreach (var (name, value) in parameters.GetSortedParametersList())
        {
            if (form.Length > 0)
                form.Append('&');
            form.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
        }
        return form.ToString();
    }

    private void SetTag(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            _activity.SetTag(name, value);
    }
}
