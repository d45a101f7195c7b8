using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Threadline.Sandbox.ApiGateway;
using Threadline.Sandbox.DynamoDb;
using Threadline.Sandbox.EventBridge;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Kinesis;
using Threadline.Sandbox.Lambda;
using Threadline.Sandbox.Mappings;
using Threadline.Sandbox.Protocol;
using Threadline.Sandbox.S3;
using Threadline.Sandbox.Sns;
using Threadline.Sandbox.Sqs;

namespace Threadline.Sandbox;

/// <summary>
/// The running sandbox: one HTTP endpoint on 127.0.0.1 speaking the emulated AWS APIs, and the functions it hosts.
/// Point AWS SDK clients at <see cref="Endpoint"/> (any credentials, region <see cref="SandboxOptions.Region"/>).
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BackgroundWork _background;
    private Uri? _endpoint;

    private SandboxHost(SandboxOptions options, WebApplication app, BackgroundWork background)
    {
        Options = options;
        _app = app;
        _background = background;
        Arns = new Arns(options.Region, options.AccountId);
        Functions = new FunctionHost(options, Arns, background);
        Sqs = new SqsService(Arns, options.TimeProvider, () => Endpoint, background.Stopping);
        DynamoDb = new DynamoDbService(Arns, options.TimeProvider);
        Deliveries = new Deliveries(this);
        Functions.Deliveries = Deliveries;
        Sns = new SnsService(Arns, options.TimeProvider, () => Endpoint, Deliveries);
        S3 = new S3Service(Arns, options.TimeProvider, Deliveries);
        Kinesis = new KinesisService(Arns, options.TimeProvider);
        EventBridge = new EventBridgeService(Arns, options, Deliveries, background);
        ApiGateway = new ApiGatewayService(Arns, options.TimeProvider, Functions, () => Endpoint);
        Mappings = new EventSourceMappings(this, background);
    }

    public SandboxOptions Options { get; }

    /// <summary>The base URL of every emulated service, such as <c>http://127.0.0.1:49152/</c>.</summary>
    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException("The sandbox is not started.");

    public Arns Arns { get; }

    public FunctionHost Functions { get; }

    public EventSourceMappings Mappings { get; }

    public SqsService Sqs { get; }

    public DynamoDbService DynamoDb { get; }

    public SnsService Sns { get; }

    public S3Service S3 { get; }

    public KinesisService Kinesis { get; }

    public EventBridgeService EventBridge { get; }

    public ApiGatewayService ApiGateway { get; }

    internal Deliveries Deliveries { get; }

    /// <summary>Starts the sandbox and returns once it accepts requests.</summary>
    public static async Task<SandboxHost> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(CleartextHttp2.Middleware);
            });
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.AllowAlternateSchemes = true; // cleartext HTTP/2 requests say :scheme http on a connection reporting h2
        });
        var app = builder.Build();
        var host = new SandboxHost(options, app, new BackgroundWork());
        var router = host.CreateRouter();
        app.Run(router.RouteAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host._endpoint = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _background.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal IStreamSource StreamSource(string streamArn) => Arns.ServiceOf(streamArn) switch
    {
        "dynamodb" => DynamoDb,
        "kinesis" => Kinesis,
        _ => throw new AwsException("InvalidParameterValueException", $"Unsupported stream: {streamArn}"),
    };

    private AwsRouter CreateRouter() => new(
        [Sqs, DynamoDb, Kinesis, EventBridge],
        Sns,
        new LambdaApi(this),
        ApiGateway,
        S3);
}
