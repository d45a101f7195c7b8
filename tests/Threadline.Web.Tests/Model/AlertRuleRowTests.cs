using Threadline.Analysis.Alerts;
using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class AlertRuleRowTests
{
    [Fact]
    public void Each_rule_reads_as_what_it_watches_and_when_it_fires()
    {
        var errorRate = AlertRuleRow.Of(new AlertRule
        {
            Name = "payment errors", Type = AlertRuleType.ErrorRate, Function = "process-payment", Threshold = 0.05, Window = TimeSpan.FromMinutes(5),
            MinInvocations = 20, Channels = ["oncall", "slack"],
        });
        var cost = AlertRuleRow.Of(new AlertRule { Name = "spend", Type = AlertRuleType.CostPerHour, Threshold = 5, Channels = ["ops"] });
        var entry = AlertRuleRow.Of(new AlertRule { Name = "checkout", Type = AlertRuleType.EntryAffected, Entry = "POST /payments", Channels = ["slack"] });

        Assert.Equal(new AlertRuleRow("payment errors", "errorRate", "process-payment", "errors ≥ 5% over 00:05:00 (at least 20 invocations)", "oncall, slack"), errorRate);
        Assert.Equal(("all functions (total)", "last hour's cost ≥ $5"), (cost.Scope, cost.Condition));
        Assert.Equal(("every function", "an unresolved issue fails POST /payments"), (entry.Scope, entry.Condition));
    }
}
