namespace Threadline.Analysis.Alerts.Management;

/// <summary>
/// The rules a new installation starts with (editable and deletable like any other), notifying the in-app list: a new
/// or regressed issue on any function; a function failing in 10% or more of at least 10 invocations over 5 minutes; a
/// function's cost spike (its last hour above the spike factor times its usual hour).
/// </summary>
public static class DefaultAlertRules
{
    public const string NewOrRegressedId = "default-new-or-regressed-issue";
    public const string ErrorRateId = "default-error-rate";
    public const string CostSpikeId = "default-cost-spike";

    public static IReadOnlyList<AlertRule> All { get; } =
    [
        new() { Id = NewOrRegressedId, Name = "New or regressed issue", Type = AlertRuleType.NewOrRegressedIssue },
        new()
        {
            Id = ErrorRateId, Name = "Error rate over 10%", Type = AlertRuleType.ErrorRate, Threshold = 0.1, Window = TimeSpan.FromMinutes(5),
            MinInvocations = 10,
        },
        new() { Id = CostSpikeId, Name = "Cost spike", Type = AlertRuleType.CostSpike },
    ];

    public static bool IsDefault(string id) => All.Any(r => r.Id == id);
}
