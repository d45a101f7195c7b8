using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Threadline.Sandbox;
using Threadline.Server;

namespace Threadline.EndToEnd.Tests;

/// <summary>
/// Tracers teams already run, from npm (js-tracers/), sending to a real Threadline server: the AWS X-Ray SDK for
/// Node.js over the X-Ray daemon's UDP protocol, with its AWS SDK v3 capture sending to the sandbox's SQS, outside
/// Lambda and as in Lambda (independent subsegments under a facade that never arrives); an X-Ray-traced producer and
/// an OpenTelemetry JS consumer of its message as one transaction; and the OpenTelemetry JS Zipkin exporter.
/// </summary>
public sealed class XRayAndZipkinClientTests : IAsyncLifetime
{
    private const string QueueName = "xray-orders";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-e2e-tests", Guid.NewGuid().ToString("n"));
    private RunningServer _server = null!;
    private SandboxHost _sandbox = null!;
    private HttpClient _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = _dataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            XrayPort = 0,
            ZipkinPort = 0,
        }, Ct);
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.ApiPort}") };
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { Port = 0 }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task An_xray_sdk_segment_with_an_sqs_subsegment_is_stored_with_the_message_id()
    {
        var queueUrl = _sandbox.Sqs.CreateQueue(QueueName);

        var producer = await RunProducerAsync("segment", queueUrl, new() { ["SERVICE_NAME"] = "checkout-xray" });

        var traceHex = TraceHex(producer.Report.GetProperty("traceId").GetString()!);
        var messageId = producer.Report.GetProperty("messageId").GetString()!;
        var spans = await WaitForSpansAsync(traceHex, s => s.Count >= 3, producer.ToString());
        var segment = Assert.Single(spans, s => s.GetProperty("spanId").GetString() == producer.Report.GetProperty("segmentId").GetString());
        Assert.Equal(("checkout-xray", "server"), (segment.GetProperty("service").GetString(), segment.GetProperty("kind").GetString()));
        var work = Assert.Single(spans, s => s.GetProperty("name").GetString() == "place-order");
        Assert.Equal("acme", work.GetProperty("attributes").GetProperty("tenant").GetString());
        var send = Assert.Single(spans, s => s.GetProperty("name").GetString() == "SQS.SendMessage");
        Assert.Equal((work.GetProperty("spanId").GetString(), "producer", messageId, QueueName),
            (send.GetProperty("parentSpanId").GetString(), send.GetProperty("kind").GetString(),
             send.GetProperty("attributes").GetProperty("messaging.message.id").GetString(),
             send.GetProperty("attributes").GetProperty("messaging.destination.name").GetString()));
        Assert.Equal(0, (await GetAsync("/api/health", "")).GetProperty("xrayUdp").GetProperty("droppedMalformed").GetInt64());
    }

    [Fact]
    public async Task An_xray_traced_lambda_producer_and_an_opentelemetry_consumer_of_its_message_are_one_transaction()
    {
        var queueUrl = _sandbox.Sqs.CreateQueue(QueueName);
        var traceId = $"1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..12])}";
        var facadeId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);

        var producer = await RunProducerAsync("lambda", queueUrl, new()
        {
            ["LAMBDA_TASK_ROOT"] = NodeScript.TracerScriptsDirectory,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "place-order-fn",
            ["_X_AMZN_TRACE_ID"] = $"Root={traceId};Parent={facadeId};Sampled=1",
        });
        var consumer = await NodeScript.RunAsync("lambda-runtime.js", new Dictionary<string, string>
        {
            ["SANDBOX_ENDPOINT"] = _sandbox.Endpoint.ToString(),
            ["SANDBOX_REGION"] = _sandbox.Options.Region,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{_server.OtlpHttpPort}",
            ["PROPAGATION"] = "xray",
            ["LAMBDA_TASK_ROOT"] = NodeScript.ScriptsDirectory,
            ["_HANDLER"] = "handler.handler",
            ["AWS_LAMBDA_FUNCTION_NAME"] = "ship-order",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
            ["AWS_REGION"] = _sandbox.Options.Region,
            ["FUNCTION_ARN"] = _sandbox.Arns.Function("ship-order"),
            ["QUEUE_URL"] = queueUrl,
            ["QUEUE_ARN"] = _sandbox.Arns.Queue(QueueName),
        });
        var context = $"{producer}\n{consumer}";
        var messageId = producer.Report.GetProperty("messageId").GetString()!;
        Assert.True(messageId == consumer.Report.GetProperty("messageId").GetString(), "the consumer received another message\n" + context);
        Assert.Equal(traceId, producer.Report.GetProperty("traceId").GetString());
        Assert.Equal(facadeId, producer.Report.GetProperty("facadeId").GetString());
        // The X-Ray SDK put its context on the SendMessage request, which SQS keeps as the message's AWSTraceHeader.
        Assert.StartsWith($"Root={traceId};Parent=", consumer.Report.GetProperty("awsTraceHeader").GetString(), StringComparison.Ordinal);

        // The facade segment never arrives; its stand-in makes the two subsegments one invocation (after the quiet time).
        var traceHex = TraceHex(traceId);
        var producerId = $"{traceHex}-{facadeId}";
        var consumerId = $"{consumer.Report.GetProperty("traceId").GetString()}-{consumer.Report.GetProperty("spanId").GetString()}";
        var transaction = await WaitForTransactionAsync(producerId, t => t.GetProperty("invocations").GetArrayLength() == 2, context);
        Assert.Equal([producerId, consumerId], transaction.GetProperty("invocations").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var hop = Assert.Single(transaction.GetProperty("hops").EnumerateArray());
        Assert.Equal((producerId, consumerId, "async", "sqs", QueueName),
            (hop.GetProperty("from").GetString(), hop.GetProperty("to").GetString(), hop.GetProperty("kind").GetString(),
             hop.GetProperty("service").GetString(), hop.GetProperty("resource").GetString()));
        var spans = transaction.GetProperty("spans").EnumerateArray().ToList();
        Assert.Contains(spans, s => s.GetProperty("spanId").GetString() == facadeId);
        var send = Assert.Single(spans, s => s.GetProperty("name").GetString() == "SQS.SendMessage");
        Assert.Equal(messageId, send.GetProperty("attributes").GetProperty("messaging.message.id").GetString());
        Assert.Contains(spans, s => s.GetProperty("name").GetString() == "place-order" && s.GetProperty("parentSpanId").GetString() == facadeId);
    }

    [Fact]
    public async Task The_opentelemetry_js_zipkin_exporter_delivers_to_the_zipkin_listener()
    {
        var run = await NodeScript.RunAsync("zipkin-exporter.js", new Dictionary<string, string>
        {
            ["ZIPKIN_URL"] = $"http://127.0.0.1:{_server.ZipkinPort}/api/v2/spans",
            ["SERVICE_NAME"] = "inventory-client",
        }, NodeScript.TracerScriptsDirectory);

        var span = Assert.Single(await WaitForSpansAsync(run.Report.GetProperty("traceId").GetString()!, s => s.Count == 1, run.ToString()));
        Assert.Equal((run.Report.GetProperty("spanId").GetString(), "GET /inventory", "inventory-client", "client"),
            (span.GetProperty("spanId").GetString(), span.GetProperty("name").GetString(), span.GetProperty("service").GetString(), span.GetProperty("kind").GetString()));
        Assert.Equal("GET", span.GetProperty("attributes").GetProperty("http.request.method").GetString());
        Assert.Equal("cache-miss", Assert.Single(span.GetProperty("events").EnumerateArray()).GetProperty("name").GetString());
    }

    private Task<NodeRun> RunProducerAsync(string mode, string queueUrl, Dictionary<string, string> extra) =>
        NodeScript.RunAsync("xray-producer.js", new Dictionary<string, string>(extra)
        {
            ["MODE"] = mode,
            ["AWS_XRAY_DAEMON_ADDRESS"] = $"127.0.0.1:{_server.XrayPort}",
            ["SANDBOX_ENDPOINT"] = _sandbox.Endpoint.ToString(),
            ["SANDBOX_REGION"] = _sandbox.Options.Region,
            ["QUEUE_URL"] = queueUrl,
        }, NodeScript.TracerScriptsDirectory);

    private static string TraceHex(string xrayTraceId) => xrayTraceId[2..10] + xrayTraceId[11..];

    private async Task<List<JsonElement>> WaitForSpansAsync(string traceId, Func<List<JsonElement>, bool> done, string context)
    {
        var watch = Stopwatch.StartNew();
        var last = "";
        while (watch.Elapsed < Deadline)
        {
            using var response = await _api.GetAsync($"/api/traces/{traceId}", Ct);
            last = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var spans = JsonDocument.Parse(last).RootElement.GetProperty("spans").EnumerateArray().Select(s => s.Clone()).ToList();
                if (done(spans))
                    return spans;
            }
            await Task.Delay(50, Ct);
        }
        Assert.Fail($"trace {traceId}: not complete within {Deadline}; last answer: {last}\n{context}");
        return [];
    }

    private async Task<JsonElement> WaitForTransactionAsync(string id, Func<JsonElement, bool> done, string context)
    {
        var watch = Stopwatch.StartNew();
        var last = "";
        while (watch.Elapsed < Deadline)
        {
            using var response = await _api.GetAsync($"/api/transactions/{id}", Ct);
            last = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var transaction = JsonDocument.Parse(last).RootElement.Clone();
                if (done(transaction))
                    return transaction;
            }
            await Task.Delay(50, Ct);
        }
        Assert.Fail($"transaction {id}: not complete within {Deadline}; last answer: {last}\n{context}");
        return default;
    }

    private async Task<JsonElement> GetAsync(string path, string context)
    {
        using var response = await _api.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}\n{context}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
