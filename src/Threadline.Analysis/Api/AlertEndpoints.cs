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
        api.MapGet("/alerts/rules", (AlertRuleSource rules) =>
            {
                var current = rules.Current();
                return TypedResults.Ok(new AlertRulesResponse(rules.Path, current.BaseUrl?.ToString(), current.RenotifyInterval,
                    [.. current.Channels.Select(Channel)], current.Rules));
            })
            .WithName("GetAlertRules").WithSummary("The alert rules from the rule file, and their channels (targets without secrets).")
            .Produces<AlertRulesResponse>();
        api.MapGet("/alerts/notifications", (AlertLedger ledger) => TypedResults.Ok(ledger.Recent()))
            .WithName("ListAlertNotifications").WithSummary("The latest notifications sent (at most 200), latest first, with the outcome per channel.")
            .Produces<List<AlertNotification>>();
    }

    /// <summary>Where a channel sends, without secrets: a webhook's scheme and host (Slack URLs carry tokens), the mail recipients.</summary>
    private static ChannelResponse Channel(AlertChannel channel) => channel.Type switch
    {
        ChannelType.Email => new ChannelResponse(channel.Name, "email", $"{string.Join(", ", channel.To)} via {channel.SmtpHost}:{channel.SmtpPort}"),
        var type => new ChannelResponse(channel.Name, type == ChannelType.Slack ? "slack" : "webhook",
            Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) ? $"{url.Scheme}://{url.Authority}/…" : ""),
    };
}
