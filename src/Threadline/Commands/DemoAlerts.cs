using Microsoft.Extensions.DependencyInjection;
using Threadline.Analysis.Alerts.Management;

namespace Threadline.Commands;

/// <summary>
/// Points the default "new or regressed issue" rule of the demo's installation at the demo's local webhook receiver,
/// through the same service the API and the Alerts page use: a channel named <see cref="ChannelName"/> (made, or its
/// URL updated on a later run) added to the rule's channels.
/// </summary>
internal static class DemoAlerts
{
    public const string ChannelName = "demo webhook receiver";

    /// <returns>A line for the terminal saying where notifications go, or why they do not reach the receiver.</returns>
    public static async Task<string> ConnectAsync(IServiceProvider services, Uri receiver, CancellationToken cancellationToken)
    {
        if (services.GetService<AlertManager>() is not { } alerts)
            return "Alerts: the analysis module is off.";
        var channels = await alerts.ChannelsAsync(cancellationToken).ConfigureAwait(false);
        var input = new AlertChannelInput(ChannelName, "webhook", receiver.ToString(), null, null, null, null, null, null, null, null);
        var existing = channels.Channels.FirstOrDefault(c => c.Name == ChannelName && !c.ReadOnly);
        var saved = existing is null
            ? await alerts.CreateChannelAsync(input, cancellationToken).ConfigureAwait(false)
            : await alerts.UpdateChannelAsync(existing.Id, input, cancellationToken).ConfigureAwait(false);
        if (saved.Value is not { } channel)
            return $"Alerts: the demo's webhook channel could not be saved: {saved.Message}";
        if (await alerts.RuleAsync(DefaultAlertRules.NewOrRegressedId, cancellationToken).ConfigureAwait(false) is not { } rule)
            return $"Alerts: the default rule is gone from this data folder; notifications reach the in-app list only (receiver: {receiver}).";
        if (!rule.Channels.Contains(channel.Id))
        {
            var update = new AlertRuleInput(rule.Name, AlertValidator.Camel(rule.Type), rule.Function, rule.Entry, rule.Threshold,
                rule.Window?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                rule.MinInvocations, [.. rule.Channels, channel.Id], rule.Version);
            var result = await alerts.UpdateRuleAsync(rule.Id, update, cancellationToken).ConfigureAwait(false);
            if (result.Value is null)
                return $"Alerts: the default rule could not be pointed at the receiver: {result.Message}";
        }
        return $"Alerts: default rules on; \"{rule.Name}\" also posts to the demo's webhook receiver at {receiver} (printed here).";
    }
}
