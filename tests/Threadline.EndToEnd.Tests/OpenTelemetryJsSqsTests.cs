using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Threadline.Sandbox;
using Threadline.Server;

namespace Threadline.EndToEnd.Tests;

/// <summary>
/// A producer and an SQS-triggered Lambda function instrumented only with the OpenTelemetry JS SDK,
/// instrumentation-aws-sdk and instrumentation-aws-lambda (js/), talking through the sandbox's SQS with the real
/// <c>@aws-sdk/client-sqs</c> and exporting OTLP/HTTP protobuf to a real Threadline server: Threadline makes one
/// transaction of the two invocations, joined by one async hop. Either way the context travels: <c>w3c</c>, the SDK's
/// default propagators, with the consumer reading the message attributes; <c>xray</c>, with the X-Ray propagator
/// added and the Lambda instrumentation's default of reading the message's <c>AWSTraceHeader</c>. On either storage
/// backend: the embedded DuckDB store and a real ClickHouse server (<c>--store clickhouse</c>).
/// </summary>
public sealed class OpenTelemetryJsSqsTests(ClickHouseFixture clickHouse) : IAsyncLifetime
{
    private const string QueueName = "orders-queue";
    private const string ProducerService = "checkout";
    private const string ConsumerFunction = "notify-customer";

    private static readonly TimeSpan StitchDeadline = TimeSpan.FromSeconds(15);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-e2e-tests", Guid.NewGuid().ToString("n"));
    private RunningServer _server = null!;
    private SandboxHost _sandbox = null!;
    private HttpClient _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions { Port = 0 }, Ct);

    private async Task StartServerAsync(string store)
    {
        _server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = _dataDirectory,
            Store = store,
            ClickHouseUrl = store == "clickhouse" ? (await clickHouse.UrlAsync()).ToString() : null,
            ClickHouseDatabase = ClickHouseFixture.NewDatabaseName(),
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
        }, Ct);
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.ApiPort}") };
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Theory]
    [InlineData("w3c", "duckdb")]
    [InlineData("xray", "duckdb")]
    [InlineData("w3c", "clickhouse")]
    [InlineData("xray", "clickhouse")]
    public async Task Producer_and_consumer_instrumented_by_the_OpenTelemetry_JS_SDK_are_one_transaction_with_one_async_hop(string propagation, string store)
    {
        await StartServerAsync(store);
        var queueUrl = _sandbox.Sqs.CreateQueue(QueueName);
        var common = new Dictionary<string, string>
        {
            ["SANDBOX_ENDPOINT"] = _sandbox.Endpoint.ToString(),
            ["SANDBOX_REGION"] = _sandbox.Options.Region,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{_server.OtlpHttpPort}",
            ["PROPAGATION"] = propagation,
        };

        var producer = await NodeScript.RunAsync("producer.js", new Dictionary<string, string>(common)
        {
            ["PRODUCER_SERVICE"] = ProducerService,
            ["QUEUE_NAME"] = QueueName,
        });
        var consumer = await NodeScript.RunAsync("lambda-runtime.js", new Dictionary<string, string>(common)
        {
            // What Lambda sets for a Node.js function; instrumentation-aws-lambda finds the handler through the first two.
            ["LAMBDA_TASK_ROOT"] = NodeScript.ScriptsDirectory,
            ["_HANDLER"] = "handler.handler",
            ["AWS_LAMBDA_FUNCTION_NAME"] = ConsumerFunction,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
            ["AWS_REGION"] = _sandbox.Options.Region,
            ["FUNCTION_ARN"] = _sandbox.Arns.Function(ConsumerFunction),
            ["QUEUE_URL"] = queueUrl,
            ["QUEUE_ARN"] = _sandbox.Arns.Queue(QueueName),
        });

        var messageId = producer.Report.GetProperty("messageId").GetString()!;
        var requestId = consumer.Report.GetProperty("requestId").GetString()!;
        var producerId = InvocationId(producer.Report);
        var consumerId = InvocationId(consumer.Report);
        var context = $"{producer}\n{consumer}";

        // What the scripts saw: the poller received the message the producer sent, carrying the context that
        // instrumentation-aws-sdk injected beside the producer's own attribute. With w3c there is no AWSTraceHeader,
        // so only the message attributes can tie the two sides; with xray the sandbox kept the X-Ray header that
        // instrumentation-http put on the SendMessage request as AWSTraceHeader, in the producer's trace. And
        // instrumentation-aws-lambda wrapped the handler.
        Assert.True(messageId == consumer.Report.GetProperty("messageId").GetString(), "the consumer received another message\n" + context);
        var traceHeader = consumer.Report.GetProperty("awsTraceHeader");
        if (propagation == "w3c")
        {
            Assert.Equal(["tenant", "traceparent"], consumer.Report.GetProperty("messageAttributes").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(JsonValueKind.Null, traceHeader.ValueKind);
        }
        else
        {
            Assert.Equal(["tenant", "traceparent", "x-amzn-trace-id"], consumer.Report.GetProperty("messageAttributes").EnumerateArray().Select(a => a.GetString()));
            var producerTrace = producer.Report.GetProperty("traceId").GetString()!;
            Assert.StartsWith($"Root=1-{producerTrace[..8]}-{producerTrace[8..]};", traceHeader.GetString());
        }

        Assert.True(consumer.Report.GetProperty("wrapped").GetBoolean(), "instrumentation-aws-lambda did not wrap handler.handler\n" + context);

        var list = await WaitForTransactionsAsync($"/api/transactions?messageId={messageId}", context);
        var summary = Assert.Single(list.GetProperty("transactions").EnumerateArray());
        Assert.Equal(producerId, summary.GetProperty("id").GetString());
        Assert.Equal(ProducerService, summary.GetProperty("entry").GetProperty("name").GetString());
        Assert.Equal(("ok", 2, 0), (summary.GetProperty("status").GetString(), summary.GetProperty("invocationCount").GetInt32(), summary.GetProperty("errorCount").GetInt32()));
        foreach (var query in new[] { $"requestId={requestId}", $"traceId={consumer.Report.GetProperty("traceId").GetString()}" })
        {
            var found = await GetAsync($"/api/transactions?{query}", context);
            Assert.Equal([producerId], found.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        }

        var transaction = await GetAsync($"/api/transactions/{producerId}", context);
        var invocations = transaction.GetProperty("invocations").EnumerateArray().ToList();
        Assert.Equal([producerId, consumerId], invocations.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(ProducerService, invocations[0].GetProperty("function").GetString());
        var function = invocations[1];
        Assert.Equal((ConsumerFunction, requestId, "ok", true, false),
            (function.GetProperty("function").GetString(), function.GetProperty("requestId").GetString(), function.GetProperty("status").GetString(),
             function.GetProperty("coldStart").GetBoolean(), function.GetProperty("retry").GetBoolean()));
        Assert.Equal(("sqs", QueueName), (function.GetProperty("trigger").GetProperty("kind").GetString(), function.GetProperty("trigger").GetProperty("resource").GetString()));

        // Exactly one hop, from the producer's invocation to the function's. The engine reports "otel.link" in both
        // modes: the consumer side's only record of the message is the span link that instrumentation-aws-lambda
        // puts on its `process orders-queue` CONSUMER span (pointing into the producer's invocation, with the link
        // attribute messaging.message.id), and the producer's `orders-queue send` PRODUCER span records the same
        // messaging.message.id. docs/stitching.md ranks that id-bearing link above the bare in-band context
        // (traceparent / xray) the same link also carries.
        var hop = Assert.Single(transaction.GetProperty("hops").EnumerateArray());
        Assert.Equal((producerId, consumerId, "async", "sqs", QueueName, "otel.link"),
            (hop.GetProperty("from").GetString(), hop.GetProperty("to").GetString(), hop.GetProperty("kind").GetString(),
             hop.GetProperty("service").GetString(), hop.GetProperty("resource").GetString(), hop.GetProperty("via").GetString()));

        // The timeline holds every span both processes exported (with xray, instrumentation-http's two request
        // spans too), and the link points at the send span (w3c: the context the aws-sdk instrumentation injected)
        // or at the HTTP request span under it (xray: the context instrumentation-http put in the header).
        var spans = transaction.GetProperty("spans").EnumerateArray().ToList();
        JsonElement Span(string name) => Assert.Single(spans, s => s.GetProperty("name").GetString() == name);
        string[] names = propagation == "w3c"
            ? ["SQS.GetQueueUrl", ConsumerFunction, "orders-queue send", "place-order", "process orders-queue"]
            : ["POST", "POST", "SQS.GetQueueUrl", ConsumerFunction, "orders-queue send", "place-order", "process orders-queue"];
        Assert.Equal(names, spans.Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(producer.Report.GetProperty("exportedSpans").GetInt32() + consumer.Report.GetProperty("exportedSpans").GetInt32(), spans.Count);
        var send = Span("orders-queue send");
        Assert.Equal(messageId, send.GetProperty("attributes").GetProperty("messaging.message.id").GetString());
        var link = Assert.Single(Span("process orders-queue").GetProperty("links").EnumerateArray());
        Assert.Equal(messageId, link.GetProperty("attributes").GetProperty("messaging.message.id").GetString());
        var linked = Assert.Single(spans, s => s.GetProperty("spanId").GetString() == link.GetProperty("spanId").GetString());
        Assert.Equal(link.GetProperty("traceId").GetString(), linked.GetProperty("traceId").GetString());
        Assert.Equal(send.GetProperty("spanId").GetString(), propagation == "w3c"
            ? linked.GetProperty("spanId").GetString()
            : linked.GetProperty("parentSpanId").GetString());
        Assert.Equal(requestId, Span(ConsumerFunction).GetProperty("attributes").GetProperty("faas.invocation_id").GetString());
    }

    /// <summary>An invocation's id is its trace id and root span id in hex (docs/stitching.md).</summary>
    private static string InvocationId(JsonElement report) =>
        $"{report.GetProperty("traceId").GetString()}-{report.GetProperty("spanId").GetString()}";

    /// <summary>Waits, with a deadline, until the list holds a transaction of both invocations.</summary>
    private async Task<JsonElement> WaitForTransactionsAsync(string path, string context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StitchDeadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var last = "";
        try
        {
            do
            {
                var list = await GetAsync(path, context);
                last = list.GetRawText();
                if (list.GetProperty("transactions").EnumerateArray().Any(t => t.GetProperty("invocationCount").GetInt32() >= 2))
                {
                    return list;
                }
            }
            while (await poll.WaitForNextTickAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }

        Assert.Fail($"no transaction of two invocations for {path} within {StitchDeadline}; last answer: {last}\n{context}");
        throw new UnreachableException();
    }

    private async Task<JsonElement> GetAsync(string path, string context)
    {
        var response = await _api.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}\n{context}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
