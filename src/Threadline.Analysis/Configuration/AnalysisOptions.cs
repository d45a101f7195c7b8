namespace Threadline.Analysis.Configuration;

/// <summary>Everything the analysis module can be told. Defaults suit <c>threadline serve</c>.</summary>
public sealed class AnalysisOptions
{
    /// <summary>Environment variable naming the alert rule file when <see cref="AlertRulesPath"/> is not given.</summary>
    public const string AlertRulesEnvironmentVariable = "THREADLINE_ALERTS";

    public LambdaPricing Pricing { get; init; } = new();

    /// <summary>How the user of an invocation is found; by default the span attribute <c>enduser.id</c>.</summary>
    public ValueRule UserRule { get; init; } = new() { Source = ValueSource.Attribute, Name = "enduser.id" };

    /// <summary>User ids that are VIPs.</summary>
    public IReadOnlyList<string> VipUsers { get; init; } = [];

    /// <summary>Also a VIP: a user whose invocation yields one of <see cref="VipRule.Values"/> by this rule.</summary>
    public VipRule? VipRule { get; init; }

    /// <summary>The JSON alert rule file; null means <c>THREADLINE_ALERTS</c>, and none at all means no alerts.</summary>
    public string? AlertRulesPath { get; init; }

    /// <summary>
    /// Whether a new installation gets the default alert rules (<c>Alerts/Management/DefaultAlertRules.cs</c>); they are
    /// made once, and not when the rule file provisions rules.
    /// </summary>
    public bool DefaultAlertRules { get; init; } = true;

    /// <summary>
    /// A new issue or a regression is notified once its first failure is this old, so the spans of the transactions it
    /// belongs to have arrived and the notification's impact names the entry points and users (stitching lags a few
    /// seconds behind the failure).
    /// </summary>
    public TimeSpan AlertSettleTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Base of the links in notifications when the rule file names none (e.g. <c>https://threadline.example.com</c>).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>How often alert rules are evaluated in the background; null: never (tests call the evaluation).</summary>
    public TimeSpan? EvaluationInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An issue first seen less than this long ago is <c>new</c>, later <c>ongoing</c>.</summary>
    public TimeSpan NewIssueWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The stretch before and after a deployment that its verdict compares.</summary>
    public TimeSpan DeploymentWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A verdict needs at least this many invocations after the deployment.</summary>
    public int DeploymentMinimumInvocations { get; init; } = 5;

    /// <summary>A p95 change smaller than this fraction is not mentioned in a verdict.</summary>
    public double P95ChangeThreshold { get; init; } = 0.2;

    /// <summary>The last hour's cost of a function is a spike above this multiple of its hourly average of the day before.</summary>
    public double CostSpikeFactor { get; init; } = 3;

    /// <summary>Hourly cost below which no spike is flagged (USD).</summary>
    public decimal CostSpikeMinimumUsd { get; init; } = 0.01m;

    /// <summary>
    /// How many recently derived traces keep their span details in memory (about 1–2 KB a span). A trace touched again
    /// after leaving the cache is read back from the span store in one batched query per commit: the size changes the
    /// speed of deriving, never the answer. 0 reads every touched trace back.
    /// </summary>
    public int DetailsCacheTraces { get; init; } = DefaultDetailsCacheTraces;

    public const int DefaultDetailsCacheTraces = 20_000;

    /// <summary>
    /// How many stored spans and log records of recently indexed traces the search derivation keeps in memory (about
    /// 1–2 KB each), so a trace that goes on arriving is not read back at every commit. Leaving the cache changes the
    /// speed of indexing, never the index. 0 reads every touched trace back.
    /// </summary>
    public int SearchCacheRecords { get; init; } = DefaultSearchCacheRecords;

    public const int DefaultSearchCacheRecords = 20_000;

    /// <summary>The clock of states, windows and alerts.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(Pricing.Validate());
        errors.AddRange(UserRule.Validate("UserRule"));
        if (VipRule is not null)
            errors.AddRange(VipRule.Validate());
        if (EvaluationInterval is { } interval && interval <= TimeSpan.Zero)
            errors.Add($"The alert evaluation interval must be positive (got {interval}).");
        if (NewIssueWindow <= TimeSpan.Zero || DeploymentWindow <= TimeSpan.Zero)
            errors.Add("The new-issue and deployment windows must be positive.");
        if (DetailsCacheTraces < 0)
            errors.Add($"The span details cache must hold zero or more traces (got {DetailsCacheTraces}).");
        if (SearchCacheRecords < 0)
            errors.Add($"The search derivation's cache must hold zero or more records (got {SearchCacheRecords}).");
        if (CostSpikeFactor <= 1)
            errors.Add($"The cost spike factor must be above 1 (got {CostSpikeFactor}).");
        return errors;
    }
}
