using Microsoft.Extensions.Logging;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// One evaluation: the rules' conditions now, deduplicated by the ledger, sent to their channels. The background loop
/// calls it every interval; tests call it directly.
/// </summary>
public sealed partial class AlertEvaluator(
    AnalysisOptions options,
    AnalysisState state,
    AlertRuleSource rules,
    ConditionFinder finder,
    AlertLedger ledger,
    WebhookNotifier webhooks,
    EmailNotifier email,
    ILogger<AlertEvaluator> logger)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<IReadOnlyList<AlertNotification>> EvaluateAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var configuration = rules.Current();
            if (configuration.Rules.Count == 0)
                return [];
            var now = options.Time.GetUtcNow();
            var found = state.Read(view => finder.Find(view, configuration.Rules));
            var sent = new List<AlertNotification>();
            foreach (var (condition, renotification) in ledger.Due(found, now, configuration.RenotifyInterval))
            {
                var notification = await SendAsync(configuration, condition, renotification, now, cancellationToken).ConfigureAwait(false);
                ledger.Add(notification);
                sent.Add(notification);
            }
            return sent;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// On a data folder without an alert ledger (first start, or one from before the ledger was kept), marks what holds
    /// now as notified without sending, so the history's alerts are not all sent at once. A restored ledger already knows
    /// what was sent; what became due while Threadline was down is sent by the next evaluation.
    /// </summary>
    public void Prime()
    {
        var configuration = rules.Current();
        if (ledger.Restored || configuration.Rules.Count == 0)
            return;
        var found = state.Read(view => finder.Find(view, configuration.Rules));
        ledger.Due(found, options.Time.GetUtcNow(), configuration.RenotifyInterval);
    }

    private async Task<AlertNotification> SendAsync(AlertConfiguration configuration, AlertCondition condition, bool renotification,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var link = Link(configuration, condition);
        var text = renotification ? "Still: " + condition.Text : condition.Text;
        var notification = new AlertNotification(now, condition.Rule.Name, condition.Rule.Type, text, link, condition.IssueId, condition.Function,
            renotification, []);
        var outcomes = new List<ChannelOutcome>();
        foreach (var name in condition.Rule.Channels)
        {
            var channel = configuration.Channels.First(c => c.Name == name);
            try
            {
                if (channel.Type == ChannelType.Email)
                    await email.SendAsync(channel, notification, cancellationToken).ConfigureAwait(false);
                else
                    await webhooks.SendAsync(channel, notification, cancellationToken).ConfigureAwait(false);
                outcomes.Add(new ChannelOutcome(name, true, null));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSendFailed(e, condition.Rule.Name, name);
                outcomes.Add(new ChannelOutcome(name, false, e.Message));
            }
        }
        return notification with { Channels = outcomes };
    }

    private Uri Link(AlertConfiguration configuration, AlertCondition condition)
    {
        var baseUrl = (configuration.BaseUrl ?? options.BaseUrl ?? new Uri("http://127.0.0.1:5080")).ToString().TrimEnd('/');
        return condition.IssueId is { } issue ? new Uri($"{baseUrl}/issues/{issue}")
            : condition.Function is { } function ? new Uri($"{baseUrl}/functions/{Uri.EscapeDataString(function)}")
            : new Uri($"{baseUrl}/functions");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Rule}: channel {Channel} failed")]
    private partial void LogSendFailed(Exception exception, string rule, string channel);
}
