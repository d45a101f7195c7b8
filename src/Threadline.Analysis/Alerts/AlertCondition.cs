namespace Threadline.Analysis.Alerts;

/// <summary>
/// A condition a rule found true now. <see cref="Key"/> identifies it for deduplication; a <see cref="Level"/>
/// condition (a threshold) is notified again after the re-notify interval while it holds, and anew after it cleared;
/// an event (new issue, regression, VIP, entry) is notified once per key.
/// </summary>
public sealed record AlertCondition(AlertRule Rule, string Key, bool Level, string Text, string? IssueId, string? Function);

/// <summary>One notification as sent, with the outcome per channel.</summary>
public sealed record AlertNotification(
    DateTimeOffset Time,
    string Rule,
    AlertRuleType Type,
    string Text,
    Uri Link,
    string? IssueId,
    string? Function,
    bool Renotification,
    IReadOnlyList<ChannelOutcome> Channels);

public sealed record ChannelOutcome(string Channel, bool Delivered, string? Error);
