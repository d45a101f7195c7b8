using System.Globalization;
using Threadline.Analysis.Alerts;

namespace Threadline.Web.Model;

/// <summary>An alert rule as a sentence-sized row: what it watches and when it fires.</summary>
public sealed record AlertRuleRow(string Name, string Type, string Scope, string Condition, string Channels)
{
    /// <param name="channelName">The name of a channel by its id (the rule keeps ids); by default the id itself.</param>
    public static AlertRuleRow Of(AlertRule rule, Func<string, string>? channelName = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var window = rule.Window ?? TimeSpan.FromMinutes(5);
        var threshold = rule.Threshold ?? 0;
        var condition = rule.Type switch
        {
            AlertRuleType.NewIssue => "an issue is new",
            AlertRuleType.Regression => "a resolved issue happens again",
            AlertRuleType.NewOrRegressedIssue => "an issue is new, or a resolved one happens again",
            AlertRuleType.CostSpike => string.Create(CultureInfo.InvariantCulture, $"the last hour costs more than {(rule.Threshold is { } factor ? $"{factor:0.#}×" : "the spike factor times")} the usual hour"),
            AlertRuleType.VipAffected => "an unresolved issue hits a VIP user",
            AlertRuleType.EntryAffected => $"an unresolved issue fails {rule.Entry}",
            AlertRuleType.ErrorRate => string.Create(CultureInfo.InvariantCulture, $"errors ≥ {threshold:0.##%} over {window} (at least {rule.MinInvocations} invocations)"),
            AlertRuleType.P95Duration => string.Create(CultureInfo.InvariantCulture, $"p95 ≥ {threshold:0.##} ms over {window} (at least {rule.MinInvocations} invocations)"),
            AlertRuleType.CostPerHour => string.Create(CultureInfo.InvariantCulture, $"last hour's cost ≥ ${threshold:0.####}"),
            _ => rule.Type.ToString(),
        };
        var type = rule.Type.ToString();
        return new AlertRuleRow(rule.Name, char.ToLowerInvariant(type[0]) + type[1..], rule.Function ?? (rule.Type == AlertRuleType.CostPerHour ? "all functions (total)" : "every function"),
            condition, rule.Channels.Count == 0 ? "in-app only" : string.Join(", ", rule.Channels.Select(channelName ?? (id => id))));
    }
}
