namespace Threadline.Analysis.Alerts;

/// <summary>
/// The alerting in force: the rules and channels of the rule file (read-only) and of the store, and the silences. The
/// evaluator reads it anew for every evaluation, so a change made through any process applies everywhere.
/// </summary>
public sealed record AlertSetup(Uri? BaseUrl, TimeSpan RenotifyInterval, IReadOnlyList<AlertRule> Rules, IReadOnlyList<AlertChannel> Channels,
    IReadOnlyDictionary<string, AlertSilence> Silences)
{
    public AlertChannel? Channel(string id) => Channels.FirstOrDefault(c => c.Id == id);

    /// <summary>Whether notifications of the rule about the issue (if any) are held back now: either is muted or snoozed.</summary>
    public bool Silenced(string ruleId, string? issueId, DateTimeOffset now) =>
        (Silences.TryGetValue(AlertSilence.RuleKey(ruleId), out var rule) && rule.ActiveAt(now))
        || (issueId is not null && Silences.TryGetValue(AlertSilence.IssueKey(issueId), out var issue) && issue.ActiveAt(now));
}

/// <summary>A rule or an issue held back: muted until unmuted, or snoozed until a time.</summary>
public sealed record AlertSilence(bool Muted, DateTimeOffset? SnoozedUntil)
{
    public static string RuleKey(string ruleId) => "rule:" + ruleId;

    public static string IssueKey(string issueId) => "issue:" + issueId;

    public bool ActiveAt(DateTimeOffset now) => Muted || SnoozedUntil > now;
}
