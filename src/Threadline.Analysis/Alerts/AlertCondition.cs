namespace Threadline.Analysis.Alerts;

/// <summary>
/// A condition a rule found true now. <see cref="Key"/> identifies it for deduplication; a <see cref="Level"/>
/// condition (a threshold) is notified again after the re-notify interval while it holds, and anew after it cleared;
/// an event (new issue, regression, VIP, entry) is notified once per key. <see cref="ResolvedText"/> is what its
/// resolution says (a level condition that clears; an event's issue once resolved or fixed by a deployment).
/// </summary>
/// <param name="Describe">
/// Makes the notification's text. It can read much (an issue's impact: every transaction of its occurrences), and a
/// condition found again at each evaluation is seldom due, so only due conditions are described, while the analysis
/// view they were found in is still open.
/// </param>
public sealed record AlertCondition(AlertRule Rule, string Key, bool Level, Lazy<string> Describe, string? IssueId, string? Function, string ResolvedText)
{
    public string Text => Describe.Value;
}

/// <summary>One notification as sent (an alert, or with <see cref="Resolution"/> its end), with the outcome per channel.</summary>
public sealed record AlertNotification(
    DateTimeOffset Time,
    string Rule,
    AlertRuleType Type,
    string Text,
    Uri Link,
    string? IssueId,
    string? Function,
    bool Renotification,
    IReadOnlyList<ChannelOutcome> Channels,
    bool Resolution = false);

public sealed record ChannelOutcome(string Channel, bool Delivered, string? Error);
