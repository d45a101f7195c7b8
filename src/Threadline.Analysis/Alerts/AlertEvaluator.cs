using Threadline.Analysis.Alerts.Management;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// One evaluation: the rules' conditions now, deduplicated by the ledger, sent to their channels and kept in the in-app
/// list; then the resolutions of what was notified (a threshold that cleared, an issue resolved or fixed by a
/// deployment). A muted or snoozed rule or issue sends nothing. The background loop calls it every interval; tests call
/// it directly.
/// </summary>
public sealed class AlertEvaluator(
    AnalysisOptions options,
    AnalysisState state,
    AlertManager alerts,
    ConditionFinder finder,
    AlertLedger ledger,
    AlertSender sender,
    NotificationLinks links)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<IReadOnlyList<AlertNotification>> EvaluateAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var setup = await alerts.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var now = options.Time.GetUtcNow();
            var openIssues = ledger.OpenIssues();
            var (due, resolutions) = state.Read(view =>
            {
                var found = finder.Find(view, setup.Rules);
                var due = ledger.Due([.. found.Where(c => !setup.Silenced(c.Rule.Key, c.IssueId, now))], now, setup.RenotifyInterval);
                // Only what is due is described (it can read much), and while the view is open.
                foreach (var (condition, _) in due.Due)
                    _ = condition.Text;
                return (due, finder.Resolutions(view, openIssues));
            });
            var sent = new List<AlertNotification>();
            foreach (var (condition, renotification) in due.Due)
            {
                var text = renotification ? "Still: " + condition.Text : condition.Text;
                sent.Add(await SendAsync(setup, condition.Rule.Key, condition.Rule.Name, condition.Rule.Type, text, condition.IssueId, condition.Function,
                    renotification, resolution: false, now, cancellationToken).ConfigureAwait(false));
            }
            var ended = due.Cleared.Select(open => (open, open.ResolvedText))
                .Concat(ledger.CloseResolvedIssues(id => resolutions.GetValueOrDefault(id)).Select(r => (r.Alert, $"{r.Alert.ResolvedText} — {r.Resolution}")));
            foreach (var (open, text) in ended)
            {
                if (setup.Silenced(open.RuleId, open.IssueId, now))
                    continue;
                sent.Add(await SendAsync(setup, open.RuleId, open.RuleName, open.Type, text, open.IssueId, open.Function, false, resolution: true, now,
                    cancellationToken).ConfigureAwait(false));
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
    public async Task PrimeAsync(CancellationToken cancellationToken)
    {
        var setup = await alerts.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (ledger.Restored || setup.Rules.Count == 0)
            return;
        var found = state.Read(view => finder.Find(view, setup.Rules));
        ledger.Due(found, options.Time.GetUtcNow(), setup.RenotifyInterval);
    }

    private async Task<AlertNotification> SendAsync(AlertSetup setup, string ruleId, string ruleName, AlertRuleType type, string text, string? issueId,
        string? function, bool renotification, bool resolution, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notification = new AlertNotification(now, ruleName, type, text, links.To(setup, issueId, function), issueId, function, renotification, [], resolution);
        var outcomes = new List<ChannelOutcome>();
        // The rule as it is now names the channels (a deleted rule's resolution goes to the in-app list only).
        foreach (var channelId in setup.Rules.FirstOrDefault(r => r.Key == ruleId)?.Channels ?? [])
        {
            if (setup.Channel(channelId) is { } channel)
                outcomes.Add(await sender.SendAsync(channel, notification, cancellationToken).ConfigureAwait(false));
            else
                outcomes.Add(new ChannelOutcome(channelId, false, "the channel no longer exists"));
        }
        notification = notification with { Channels = outcomes };
        ledger.Add(notification);
        return notification;
    }
}
