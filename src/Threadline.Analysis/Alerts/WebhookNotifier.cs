using System.Net.Http.Json;

namespace Threadline.Analysis.Alerts;

/// <summary>Posts the notification as JSON to a generic webhook, or as <c>{"text": …}</c> to a Slack-style incoming webhook.</summary>
public sealed class WebhookNotifier(HttpClient http)
{
    public async Task SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        object body = channel.Type == ChannelType.Slack
            ? new SlackMessage($"{notification.Text} {notification.Link}")
            : new WebhookMessage(notification.Rule, notification.Type, notification.Text, notification.Link, notification.IssueId,
                notification.Function, notification.Time, notification.Renotification, notification.Resolution);
        using var response = await http.PostAsJsonAsync(channel.Url, body, AlertRuleSource.Json, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private sealed record SlackMessage(string Text);

    private sealed record WebhookMessage(string Rule, AlertRuleType Type, string Text, Uri Link, string? IssueId, string? Function,
        DateTimeOffset Time, bool Renotification, bool Resolution);
}
