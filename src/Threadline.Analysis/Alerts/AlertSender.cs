using Microsoft.Extensions.Logging;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// Delivers one notification to one channel (webhook, Slack, e-mail). A failure is reported and logged with the
/// channel's secrets (its URL's path and query, its password) blotted out of the message.
/// </summary>
public sealed partial class AlertSender(WebhookNotifier webhooks, EmailNotifier email, ILogger<AlertSender> logger)
{
    public async Task<ChannelOutcome> SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        try
        {
            if (channel.Type == ChannelType.Email)
                await email.SendAsync(channel, notification, cancellationToken).ConfigureAwait(false);
            else
                await webhooks.SendAsync(channel, notification, cancellationToken).ConfigureAwait(false);
            return new ChannelOutcome(channel.Name, true, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var problem = Redact(channel, $"{e.GetType().Name}: {e.Message}");
            LogSendFailed(notification.Rule, channel.Name, problem);
            return new ChannelOutcome(channel.Name, false, problem);
        }
    }

    /// <summary>The text with the channel's secrets replaced (a Slack URL carries its token in the path).</summary>
    public static string Redact(AlertChannel channel, string text)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in Secrets(channel))
            text = text.Replace(secret, "•••", StringComparison.Ordinal);
        return text;
    }

    private static IEnumerable<string> Secrets(AlertChannel channel)
    {
        if (channel.Url is { Length: > 0 } url)
        {
            yield return url;
            if (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.PathAndQuery.Length > 1)
                yield return parsed.PathAndQuery;
        }
        if (channel.Password is { Length: > 0 } password)
            yield return password;
        if (channel.PasswordEnvironmentVariable is { } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
            yield return fromEnvironment;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Rule}: channel {Channel} failed: {Problem}")]
    private partial void LogSendFailed(string rule, string channel, string problem);
}
