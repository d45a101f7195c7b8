using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadline.Sandbox;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;
using Threadline.Server;
using Threadline.Testing;
using Threadline.Tracer;

namespace Threadline.EndToEnd.Tests;

/// <summary>
/// The real <c>@lumigo/tracer</c> from npm (lumigo-js/) wraps a Node.js handler that sends an order to the sandbox's SQS
/// with <c>@aws-sdk/client-sqs</c> and reports to Threadline's TLS listener (a self-signed certificate made here,
/// trusted by Node through <c>NODE_EXTRA_CA_CERTS</c>); the sandbox delivers the message to a .NET function traced by
/// Threadline's own tracer. Threadline makes one transaction of the two invocations, joined by the SQS message id that
/// the Lumigo tracer recorded on the producer side and ours on the consumer side, with the event and return value of
/// both; the Lumigo function's environment is scrubbed with our tracer's rules.
/// </summary>
public sealed class LumigoTracerSqsTests : IAsyncLifetime
{
    private const string QueueName = "lumigo-orders";
    private const string ProducerFunction = "place-order-lumigo";
    private const string ConsumerFunction = "notify-customer";
    private const string RequestId = "6f1c2b5e-lumigo-e2e-0001";
    // Lumigo's own masking (key, secret, pass, credential, ...) lets this through; ours masks any name with "token".
    private const string UnmaskedByLumigo = "ORDERS_SERVICE_TOKEN";

    private static readonly TimeSpan StitchDeadline = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-e2e-tests", Guid.NewGuid().ToString("n"));
    private readonly SelfSignedTls _tls = new();
    private readonly List<ThreadlineTracer> _tracers = [];
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
            TlsPort = 0,
            TlsCertificatePath = _tls.CertificatePath,
            TlsKeyPath = _tls.KeyPath,
        }, Ct);
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.ApiPort}") };
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            Port = 0,
            HandlerWrapper = (handler, function) =>
            {
                var tracer = ThreadlineTracer.Create(new ThreadlineOptions
                {
                    FunctionName = function.Name,
                    FunctionVersion = function.Version,
                    MemorySizeMb = function.Definition.MemoryMb,
                    Endpoint = new Uri($"http://127.0.0.1:{_server.OtlpHttpPort}"),
                    FlushBudget = TimeSpan.FromSeconds(2),
                });
                lock (_tracers)
                    _tracers.Add(tracer);
                return (input, context) => tracer.InvokeAsync(input, context, (e, c) => handler(e, c));
            },
        }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
        _tracers.ForEach(t => t.Dispose());
        if (_server is not null)
            await _server.DisposeAsync();
        _tls.Dispose();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_Lumigo_traced_producer_and_a_Threadline_traced_consumer_are_one_transaction()
    {
        var queueUrl = _sandbox.Sqs.CreateQueue(QueueName);
        _sandbox.Functions.Deploy(new FunctionDefinition(ConsumerFunction, (input, _) =>
        {
            var order = JsonNode.Parse(input!["Records"]![0]!["body"]!.GetValue<string>())!;
            return Task.FromResult<JsonNode?>(new JsonObject { ["notified"] = order["orderId"]!.GetValue<string>() });
        }));
        _sandbox.Mappings.Add(new EventSourceMappingConfig(_sandbox.Arns.Queue(QueueName), ConsumerFunction));

        var (producer, messageId) = await RunLumigoProducerAsync(queueUrl);
        var context = producer.ToString();

        var list = await WaitForTransactionAsync($"/api/transactions?messageId={messageId}", context);
        var summary = Assert.Single(list.GetProperty("transactions").EnumerateArray());
        Assert.Equal((ProducerFunction, 2, "ok"), (summary.GetProperty("entry").GetProperty("name").GetString(),
            summary.GetProperty("invocationCount").GetInt32(), summary.GetProperty("status").GetString()));

        var transaction = await GetAsync($"/api/transactions/{summary.GetProperty("id").GetString()}", context);
        var invocations = transaction.GetProperty("invocations").EnumerateArray().ToList();
        Assert.Equal([ProducerFunction, ConsumerFunction], invocations.Select(i => i.GetProperty("function").GetString()));
        Assert.Equal((RequestId, true), (invocations[0].GetProperty("requestId").GetString(), invocations[0].GetProperty("coldStart").GetBoolean()));
        Assert.Equal(("apigateway", "sqs", QueueName), (invocations[0].GetProperty("trigger").GetProperty("kind").GetString(),
            invocations[1].GetProperty("trigger").GetProperty("kind").GetString(), invocations[1].GetProperty("trigger").GetProperty("resource").GetString()));
        var hop = Assert.Single(transaction.GetProperty("hops").EnumerateArray());
        Assert.Equal(("async", "sqs", QueueName, "sqs.messageId"), (hop.GetProperty("kind").GetString(), hop.GetProperty("service").GetString(),
            hop.GetProperty("resource").GetString(), hop.GetProperty("via").GetString()));

        var spans = transaction.GetProperty("spans").EnumerateArray().ToList();
        JsonElement Attributes(string name) => Assert.Single(spans, s => s.GetProperty("name").GetString() == name).GetProperty("attributes");
        string Attribute(string span, string key) => Attributes(span).GetProperty(key).GetString()!;
        Assert.Contains("o-2077", Attribute(ProducerFunction, "threadline.event"), StringComparison.Ordinal);
        Assert.Contains(messageId, Attribute(ProducerFunction, "threadline.response"), StringComparison.Ordinal);
        Assert.Contains("o-2077", Attribute(ConsumerFunction, "threadline.event"), StringComparison.Ordinal);
        Assert.Equal("""{"notified":"o-2077"}""", Attribute(ConsumerFunction, "threadline.response"));
        Assert.Contains(messageId, Attribute("SQS.SendMessage", "threadline.response"), StringComparison.Ordinal);
        Assert.Equal(("SQS", "SendMessage", QueueName), (Attribute("SQS.SendMessage", "rpc.service"), Attribute("SQS.SendMessage", "rpc.method"),
            Attribute("SQS.SendMessage", "threadline.resource")));
        Assert.Contains($"{ProducerFunction} started", spans.Select(s => s.GetProperty("name").GetString()));
        var environment = JsonDocument.Parse(Attribute(ProducerFunction, "threadline.environment")).RootElement;
        Assert.Equal(("[scrubbed]", ProducerFunction), (environment.GetProperty(UnmaskedByLumigo).GetString(), environment.GetProperty("AWS_LAMBDA_FUNCTION_NAME").GetString()));
    }

    /// <summary>
    /// The OpenTelemetry JS consumer of js/ (instrumentation-aws-lambda, X-Ray propagation) receives the message the
    /// Lumigo-traced producer sent: its CONSUMER span's link carries the message id, which the Lumigo SQS span recorded.
    /// </summary>
    [Fact]
    public async Task A_Lumigo_traced_producer_and_an_OpenTelemetry_JS_consumer_are_one_transaction()
    {
        var queueUrl = _sandbox.Sqs.CreateQueue(QueueName);
        var (producer, messageId) = await RunLumigoProducerAsync(queueUrl);
        var consumer = await NodeScript.RunAsync("lambda-runtime.js", new Dictionary<string, string>
        {
            ["SANDBOX_ENDPOINT"] = _sandbox.Endpoint.ToString(),
            ["SANDBOX_REGION"] = _sandbox.Options.Region,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{_server.OtlpHttpPort}",
            ["PROPAGATION"] = "xray",
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
        var context = $"{producer}\n{consumer}";
        Assert.True(messageId == consumer.Report.GetProperty("messageId").GetString(), "the consumer received another message\n" + context);

        var list = await WaitForTransactionAsync($"/api/transactions?messageId={messageId}", context);
        var summary = Assert.Single(list.GetProperty("transactions").EnumerateArray());
        Assert.Equal((ProducerFunction, 2), (summary.GetProperty("entry").GetProperty("name").GetString(), summary.GetProperty("invocationCount").GetInt32()));
        var transaction = await GetAsync($"/api/transactions/{summary.GetProperty("id").GetString()}", context);
        Assert.Equal([RequestId, consumer.Report.GetProperty("requestId").GetString()],
            transaction.GetProperty("invocations").EnumerateArray().Select(i => i.GetProperty("requestId").GetString()));
        var hop = Assert.Single(transaction.GetProperty("hops").EnumerateArray());
        Assert.Equal(("async", "sqs", "otel.link"), (hop.GetProperty("kind").GetString(), hop.GetProperty("service").GetString(), hop.GetProperty("via").GetString()));
    }

    /// <summary>Runs lumigo-js/producer.js once and returns its run and the id of the message it sent.</summary>
    private async Task<(NodeRun Run, string MessageId)> RunLumigoProducerAsync(string queueUrl)
    {
        var producer = await NodeScript.RunAsync("producer.js", new Dictionary<string, string>
        {
            ["LUMIGO_TRACER_HOST"] = $"127.0.0.1:{_server.TlsPort}",
            ["LUMIGO_TRACER_TOKEN"] = "t_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            ["LUMIGO_DEBUG"] = "TRUE",
            // The tracer gives its edge 300 ms by default, then drops the spans; a loaded test machine needs more.
            ["LUMIGO_CONNECTION_TIMEOUT"] = "10000",
            ["LUMIGO_REQUEST_TIMEOUT_MS"] = "10000",
            // The tracer cuts each payload (and the environment) at 2 KB by default; the test's environment is larger.
            ["LUMIGO_MAX_ENTRY_SIZE"] = "65536",
            ["NODE_EXTRA_CA_CERTS"] = _tls.CertificatePath,
            // What Lambda sets for a Node.js function; LAMBDA_RUNTIME_DIR is how the tracer knows it runs in Lambda.
            ["LAMBDA_RUNTIME_DIR"] = "/var/runtime",
            ["LAMBDA_TASK_ROOT"] = NodeScript.LumigoScriptsDirectory,
            ["AWS_EXECUTION_ENV"] = "AWS_Lambda_nodejs20.x",
            ["AWS_LAMBDA_FUNCTION_NAME"] = ProducerFunction,
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{ProducerFunction}",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = "2026/12/07/[$LATEST]threadline",
            ["AWS_REGION"] = _sandbox.Options.Region,
            ["_X_AMZN_TRACE_ID"] = "Root=1-6753a8c0-5a1e2b3c4d5e6f708192a3b4;Parent=53995c3f42cd8ad8;Sampled=1",
            [UnmaskedByLumigo] = "orders-secret-value",
            ["SANDBOX_PORT"] = _sandbox.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["QUEUE_URL"] = queueUrl,
            ["FUNCTION_ARN"] = _sandbox.Arns.Function(ProducerFunction),
            ["REQUEST_ID"] = RequestId,
        }, NodeScript.LumigoScriptsDirectory);

        var returned = JsonDocument.Parse(producer.Report.GetProperty("result").GetProperty("body").GetString()!).RootElement;
        // With LUMIGO_DEBUG the tracer logs each answer of its edge: the _started span and the end spans were both taken.
        Assert.True(producer.Output.Split("Edge request completed").Length - 1 >= 2, "the tracer did not report twice to the edge\n" + producer);
        return (producer, returned.GetProperty("messageId").GetString()!);
    }

    private async Task<JsonElement> WaitForTransactionAsync(string path, string context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StitchDeadline);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = "";
        try
        {
            do
            {
                var list = await GetAsync(path, context);
                last = list.GetRawText();
                if (list.GetProperty("transactions").EnumerateArray().Any(t => t.GetProperty("invocationCount").GetInt32() >= 2))
                    return list;
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
