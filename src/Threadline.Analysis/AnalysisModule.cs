using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Analysis.Alerts;
using Threadline.Analysis.Alerts.Management;
using Threadline.Analysis.Api;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Cost;
using Threadline.Analysis.Deployments;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Analysis.Issues;
using Threadline.Server;
using Threadline.Server.Derivation;
using Threadline.Server.Roles;
using Threadline.Storage;
using Threadline.Storage.Configuration;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis;

/// <summary>
/// Issues, business impact and exposure, alerts, deployments and cost (<c>docs/analysis.md</c>). The analyzed
/// invocations and per-minute function rollups are kept in the store (<c>IAnalysisStore</c>), derived on the writer loop
/// with each commit and, at start, past the stored watermark in the background (<see cref="AnalysisCatchUp"/>);
/// resolutions and recorded deployments are kept there too, the alert ledger in the data folder, alert rules, channels
/// and silences in the store (<c>IAlertConfigurationStore</c>).
/// </summary>
public sealed class AnalysisModule(AnalysisOptions? options = null) : IServerModule
{
    private readonly AnalysisOptions _options = options ?? new AnalysisOptions();
    private IServiceProvider? _services;
    private ServerRole _role = ServerRole.All;

    public AnalysisOptions Options => _options;

    public void ConfigureServices(IServiceCollection services, ThreadlineServerOptions serverOptions)
    {
        var errors = _options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid analysis configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => " - " + e)));
        var dataDirectory = Path.GetFullPath(serverOptions.DataDirectory);
        var rulesPath = _options.AlertRulesPath ?? Environment.GetEnvironmentVariable(AnalysisOptions.AlertRulesEnvironmentVariable);
        // A malformed rule file fails the start before the store is opened and its spans read back.
        if (rulesPath is not null)
            AlertRuleSource.Parse(rulesPath);
        var effective = _options.BaseUrl is null && serverOptions.ApiPort != 0
            ? Clone(_options, new Uri($"http://127.0.0.1:{serverOptions.ApiPort}"))
            : _options;

        services.AddSingleton(effective);
        services.AddSingleton<SpanDetailsReader>();
        services.AddSingleton<InvocationAnalyzer>();
        // On the server's storage backend, opened after the telemetry store (which creates or upgrades the schema).
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<ITelemetryStore>();
            return sp.GetRequiredService<IStorageBackend>().OpenAnalysisStore();
        });
        services.AddSingleton<AnalysisState>();
        services.AddSingleton<ICommittedBatchObserver, AnalysisObserver>();
        services.AddSingleton<Threadline.Server.Derivation.IDerivationProgress, AnalysisDerivationProgress>();
        // First of the deletion observers: deleting the analysis' rows needs nothing of the stitcher, and a reader that
        // sees a deleted transaction gone from the stitcher then finds its issues and figures gone as well.
        services.Insert(0, ServiceDescriptor.Singleton<Threadline.Storage.Retention.IDeletionObserver, AnalysisForgetting>());
        services.AddSingleton(sp => new ResolutionStore(sp.GetRequiredService<IAnalysisStore>(), dataDirectory, SharedReload.After(serverOptions.Role)));
        services.AddSingleton<IssueTracker>();
        services.AddSingleton<ImpactCalculator>();
        services.AddSingleton<CostCalculator>();
        services.AddSingleton(sp => new DeploymentLog(sp.GetRequiredService<IAnalysisStore>(), dataDirectory, SharedReload.After(serverOptions.Role)));
        services.AddSingleton<VerdictCalculator>();
        services.AddSingleton<DeploymentHistory>();
        services.AddSingleton(sp => new AlertRuleSource(rulesPath, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AlertRuleSource>>()));
        services.AddSingleton<ConditionFinder>();
        services.AddSingleton(sp => new AlertLedger(sp.GetRequiredService<IAlertConfigurationStore>(), dataDirectory));
        services.AddSingleton(new WebhookNotifier(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }));
        services.AddSingleton<EmailNotifier>();
        services.AddSingleton<AlertSender>();
        services.AddSingleton<NotificationLinks>();
        services.AddSingleton<AlertManager>();
        services.AddSingleton<AnalysisQueries>();
        services.AddSingleton<AlertEvaluator>();
        _role = serverOptions.Role;
        // Alerts are evaluated and sent by the deriving process only (once, whatever the number of processes).
        if (_role.HasFlag(ServerRole.Derive))
            services.AddHostedService<AnalysisLoop>();
        if (_role == ServerRole.All)
            services.AddHostedService<AnalysisCatchUp>();
        else if (_role.HasFlag(ServerRole.Derive))
            services.AddSingleton<IDerivationStep, AnalysisStep>();
        Search.SearchServices.AddSearch(services, _role);
    }

    public IEndpointConventionBuilder MapEndpoints(WebApplication app) => app.MapAnalysisApi();

    /// <summary>Loads the alert rules (a bad file fails the start), creates the default rules on a new installation, and on
    /// a data folder without an alert ledger marks the conditions that already hold as notified (over what is derived
    /// so far: a folder from before the analysis was stored is derived in the background).</summary>
    public async Task StartAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetRequiredService<AlertRuleSource>().Load();
        _services = services;
        if (!_role.HasFlag(ServerRole.Derive))
            return;
        if (_options.DefaultAlertRules)
            await services.GetRequiredService<AlertManager>().CreateDefaultsAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<AlertEvaluator>().PrimeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evaluates the alert rules now (the background loop does it every interval) and returns what was sent.</summary>
    public Task<IReadOnlyList<AlertNotification>> EvaluateAlertsAsync(CancellationToken cancellationToken) =>
        (_services ?? throw new InvalidOperationException("The module has not started.")).GetRequiredService<AlertEvaluator>().EvaluateAsync(cancellationToken);

    private static AnalysisOptions Clone(AnalysisOptions o, Uri baseUrl) => new()
    {
        Pricing = o.Pricing,
        UserRule = o.UserRule,
        VipUsers = o.VipUsers,
        VipRule = o.VipRule,
        AlertRulesPath = o.AlertRulesPath,
        DefaultAlertRules = o.DefaultAlertRules,
        DetailsCacheTraces = o.DetailsCacheTraces,
        SearchCacheRecords = o.SearchCacheRecords,
        AlertSettleTime = o.AlertSettleTime,
        BaseUrl = baseUrl,
        EvaluationInterval = o.EvaluationInterval,
        NewIssueWindow = o.NewIssueWindow,
        DeploymentWindow = o.DeploymentWindow,
        DeploymentMinimumInvocations = o.DeploymentMinimumInvocations,
        P95ChangeThreshold = o.P95ChangeThreshold,
        CostSpikeFactor = o.CostSpikeFactor,
        CostSpikeMinimumUsd = o.CostSpikeMinimumUsd,
        Time = o.Time,
    };
}
