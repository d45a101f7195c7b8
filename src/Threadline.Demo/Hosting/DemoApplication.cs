using Threadline.Demo.Functions;
using Threadline.Demo.ThirdParty;
using Threadline.Sandbox;
using Threadline.Sandbox.ApiGateway;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;

namespace Threadline.Demo.Hosting;

/// <summary>
/// The demo application from the talk, running: every function deployed in the sandbox and wrapped by the
/// Threadline tracer, every trigger wired, the fake third-party APIs up, and the shop's API routes.
/// </summary>
public sealed class DemoApplication : IAsyncDisposable
{
    private readonly FunctionTracers _tracers;

    private DemoApplication(SandboxHost sandbox, ThirdPartyApis thirdParties, FunctionTracers tracers, DemoContext context)
    {
        Sandbox = sandbox;
        ThirdParties = thirdParties;
        _tracers = tracers;
        Context = context;
    }

    public SandboxHost Sandbox { get; }

    public ThirdPartyApis ThirdParties { get; }

    public DemoContext Context { get; }

    /// <summary>The shop's API: <c>POST {ShopApi}payments</c>, <c>GET {ShopApi}menu</c>.</summary>
    public Uri ShopApi => Context.ShopApi;

    public static async Task<DemoApplication> StartAsync(DemoApplicationOptions options, CancellationToken cancellationToken = default)
    {
        var tracers = new FunctionTracers(options.OtlpEndpoint, options.FlushBudget, options.IngestToken);
        var sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            Port = options.SandboxPort,
            HandlerWrapper = tracers.Wrap,
            ScheduleTimeScale = options.ScheduleMinute.TotalMinutes,
        }, cancellationToken).ConfigureAwait(false);
        var thirdParties = await ThirdPartyApis.StartAsync(cancellationToken).ConfigureAwait(false);
        var clients = new DemoClients(sandbox.Endpoint, sandbox.Options.Region);
        var (paymentsQueueUrl, lunchTopicArn) = await DemoResources.CreateAsync(sandbox, clients, cancellationToken).ConfigureAwait(false);
        var api = sandbox.ApiGateway.CreateApi(DemoNames.ShopApi, PayloadFormat.V1)
            .Route("POST /payments", DemoNames.ProcessPayment)
            .Route("GET /menu", DemoNames.Menu);
        var context = new DemoContext(clients, thirdParties, api.Url, paymentsQueueUrl, lunchTopicArn);
        var demo = new DemoApplication(sandbox, thirdParties, tracers, context);
        demo.DeployFunctions();
        await demo.WireTriggersAsync(cancellationToken).ConfigureAwait(false);
        return demo;
    }

    /// <summary>Publishes a new version of a function with the same code (its environments start cold).</summary>
    public FunctionVersionInfo Redeploy(string function) => Sandbox.Functions.Deploy(Sandbox.Functions.Current(function).Definition);

    /// <summary>send-email version 2: one receipt template per locale, the tier as a parameter.</summary>
    public FunctionVersionInfo DeploySendEmailV2() => Sandbox.Functions.Deploy(SendEmail.Definition(Context, version: 2));

    /// <summary>Runs the lunch bot's schedule now.</summary>
    public void FireLunchSchedule() => Sandbox.EventBridge.FireSchedule(DemoNames.LunchScheduleRule);

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync().ConfigureAwait(false);
        await ThirdParties.DisposeAsync().ConfigureAwait(false);
        _tracers.Dispose();
    }

    private void DeployFunctions()
    {
        var functions = Sandbox.Functions;
        functions.Deploy(ProcessPayment.Definition(Context));
        functions.Deploy(FraudCheck.Definition());
        functions.Deploy(Notify.Definition(Context));
        functions.Deploy(SendEmail.Definition(Context, version: 1));
        functions.Deploy(ArchiveReceipt.Definition(Context));
        functions.Deploy(UpdateLoyalty.Definition(Context));
        functions.Deploy(Aggregate.Definition(Context));
        functions.Deploy(Menu.Definition());
        functions.Deploy(Lunchbot.Definition(Context));
    }

    private async Task WireTriggersAsync(CancellationToken cancellationToken)
    {
        var arns = Sandbox.Arns;
        Sandbox.Mappings.Add(new EventSourceMappingConfig(arns.Queue(DemoNames.PaymentsQueue), DemoNames.Notify)
        {
            BatchSize = 5,
            ReportBatchItemFailures = true,
        });
        Sandbox.Mappings.Add(new EventSourceMappingConfig(Sandbox.DynamoDb.StreamArnOf(DemoNames.PaymentsTable), DemoNames.SendEmail)
        {
            BatchSize = 10,
            MaximumRetryAttempts = 2,
            ReportBatchItemFailures = true,
        });
        Sandbox.Mappings.Add(new EventSourceMappingConfig(arns.KinesisStream(DemoNames.ClickstreamStream), DemoNames.Aggregate)
        {
            BatchSize = 25,
            MaximumBatchingWindow = TimeSpan.FromSeconds(1),
            MaximumRetryAttempts = 1,
        });
        Sandbox.Mappings.Add(new EventSourceMappingConfig(arns.Queue(DemoNames.LunchQueue), DemoNames.SendEmail) { BatchSize = 1 });
        await DemoResources.NotifyOnReceiptsAsync(Sandbox, Context.Clients, cancellationToken).ConfigureAwait(false);

        Sandbox.Sns.Subscribe(Context.LunchTopicArn, arns.Function(DemoNames.SendEmail));
        Sandbox.Sns.Subscribe(Context.LunchTopicArn, arns.Queue(DemoNames.LunchQueue));

        Sandbox.EventBridge.PutRule(DemoNames.OrderPlacedRule,
            eventPattern: $$"""{"source":["{{DemoNames.ShopEventSource}}"],"detail-type":["{{DemoNames.OrderPlaced}}"]}""");
        Sandbox.EventBridge.PutTarget(DemoNames.OrderPlacedRule, "loyalty", arns.Function(DemoNames.UpdateLoyalty));
        Sandbox.EventBridge.PutRule(DemoNames.LunchScheduleRule, scheduleExpression: "rate(1 minute)");
        Sandbox.EventBridge.PutTarget(DemoNames.LunchScheduleRule, "lunchbot", arns.Function(DemoNames.Lunchbot));
    }
}
