using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Threadline.Analysis.Alerts;

namespace Threadline.Analysis.Api;

/// <summary>The alert rules in force and the recent notifications.</summary>
internal static class AlertEndpoints
{
    public static void MapAlertApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts/rules", (AnalysisQueries analysis) => TypedResults.Ok(analysis.AlertRules()))
            .WithName("GetAlertRules").WithSummary("The alert rules from the rule file, and their channels (targets without secrets).")
            .Produces<AlertRulesResponse>();
        api.MapGet("/alerts/notifications", (AnalysisQueries analysis) => TypedResults.Ok(analysis.Notifications()))
            .WithName("ListAlertNotifications").WithSummary("The latest notifications sent (at most 200), latest first, with the outcome per channel.")
            .Produces<List<AlertNotification>>();
    }
}
