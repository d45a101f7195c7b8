namespace Threadline.Analysis.Alerts;

/// <summary>
/// A condition a rule found true now. <see cref="Key"/> identifies it for deduplication; a <see cref="Level"/>
/// condition (a threshold) is notified again after the re-notify interval while it holds, and anew after it cleared;
/// an event (new issue, regression, VIP, entry) is notified once per key. <see cref="ResolvedText"/> is what its
/// resolution says (a level condition that clears; an event's issue once resolved or fixed by a deployment).
/// </summary>
public sealed record AlertCondition(AlertRule Rule, string Key, bool Level, string Text, string? IssueId, string? Function, string ResolvedText);

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
