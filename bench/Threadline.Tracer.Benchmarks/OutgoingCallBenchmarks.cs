using System.Diagnostics;
using Amazon.Runtime;
using Amazon.SQS;
using BenchmarkDotNet.Attributes;
using OpenTelemetry.Trace;
using Threadline.Tracer.Benchmarks.Support;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer.Benchmarks;

/// <summary>
/// Added cost per outgoing call (HttpClient GET, SQS SendMessage to a loopback endpoint) made inside an open
/// invocation: no tracing, the plain OpenTelemetry SDK (HttpClient instrumentation; a hand-made span with the
/// same tags for the AWS call, as no AWS instrumentation package is available), and Threadline's hooks.
/// Each benchmark runs in its own process, so the hooks of one do not slow the others.
/// </summary>
[MemoryDiagnoser]
public class OutgoingCallBenchmarks
{
    private LocalEndpoint _endpoint = null!;
    private HttpClient _http = null!;
    private AmazonSQSClient _sqs = null!;
    private string _queueUrl = null!;
    private ThreadlineTracer? _threadline;
    private TracerProvider? _plainProvider;
    private ActivitySource? _plainSource;
    private Activity? _plainInvocation;
    private readonly TaskCompletionSource<int> _hold = new();

    [GlobalSetup(Targets = [nameof(HttpUninstrumented), nameof(SqsUninstrumented)])]
    public void SetupUninstrumented() => SetupClients();

    [GlobalSetup(Targets = [nameof(HttpPlainOpenTelemetry), nameof(SqsPlainOpenTelemetry)])]
    public void SetupPlain()
    {
        SetupClients();
        _plainSource = new ActivitySource("bench.plain");
        _plainProvider = Tracers.PlainOpenTelemetry("bench.plain", b => b.AddHttpClientInstrumentation());
        _plainInvocation = _plainSource.StartActivity("bench-fn", ActivityKind.Consumer);
    }

    [GlobalSetup(Targets = [nameof(HttpThreadline), nameof(SqsThreadline)])]
    public void SetupThreadline()
    {
        SetupClients();
        _threadline = Tracers.Threadline();
        // An invocation that stays open for the whole run: every call below is recorded as its child.
        var opened = new TaskCompletionSource<InvocationScope>();
        _ = _threadline.InvokeAsync("{}", new BenchContext(), (_, _) =>
        {
            opened.SetResult(InvocationScope.Current!);
            return _hold.Task;
        });
        var scope = opened.Task.Result;
        InvocationScope.SetCurrent(scope);
        Activity.Current = scope.Activity;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hold.TrySetResult(0);
        _plainInvocation?.Dispose();
        _plainProvider?.Dispose();
        _plainSource?.Dispose();
        _threadline?.Dispose();
        _sqs.Dispose();
        _http.Dispose();
        _endpoint.DisposeAsync().AsTask().Wait();
    }

    [Benchmark(Baseline = true)]
    public Task<string> HttpUninstrumented() => _http.GetStringAsync(_endpoint.Url);

    [Benchmark]
    public Task<string> HttpPlainOpenTelemetry() => _http.GetStringAsync(_endpoint.Url);

    [Benchmark]
    public Task<string> HttpThreadline() => _http.GetStringAsync(_endpoint.Url);

    [Benchmark]
    public Task SqsUninstrumented() => _sqs.SendMessageAsync(_queueUrl, """{"orderId":"o-1"}""");

    [Benchmark]
    public async Task SqsPlainOpenTelemetry()
    {
        using var activity = _plainSource!.StartActivity("SQS.SendMessage", ActivityKind.Producer);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", "SQS");
        activity?.SetTag("rpc.method", "SendMessage");
        activity?.SetTag("messaging.destination.name", "orders");
        var response = await _sqs.SendMessageAsync(_queueUrl, """{"orderId":"o-1"}""");
        activity?.SetTag("messaging.message.id", response.MessageId);
        activity?.SetTag("aws.request_id", response.ResponseMetadata.RequestId);
    }

    [Benchmark]
    public Task SqsThreadline() => _sqs.SendMessageAsync(_queueUrl, """{"orderId":"o-1"}""");

    private void SetupClients()
    {
        _endpoint = LocalEndpoint.StartAsync().GetAwaiter().GetResult();
        _http = new HttpClient();
        _sqs = new AmazonSQSClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            new AmazonSQSConfig { ServiceURL = _endpoint.Url.ToString(), AuthenticationRegion = "eu-west-1" });
        _queueUrl = new Uri(_endpoint.Url, "123456789012/orders").ToString();
    }
}
