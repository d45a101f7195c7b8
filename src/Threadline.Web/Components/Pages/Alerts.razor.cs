using Microsoft.AspNetCore.Components;
using Threadline.Analysis.Alerts;
using Threadline.Analysis.Api;
using Threadline.Web.Data;

namespace Threadline.Web.Components.Pages;

/// <summary>The alert rules in force and the recent notifications, read-only.</summary>
public partial class Alerts
{
    private AlertRulesResponse? _rules;
    private IReadOnlyList<AlertNotification> _notifications = [];
    private string? _error;

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    protected override void OnParametersSet()
    {
        if (!Analysis.Enabled)
            return;
        try
        {
            _rules = Analysis.Queries.AlertRules();
            _notifications = Analysis.Queries.Notifications();
            _error = null;
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }
}
