using System.Text.Json.Serialization;
using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Alerts;

[JsonConverter(typeof(CamelCaseEnumConverter<AlertRuleType>))]
public enum AlertRuleType
{
    NewIssue,
    Regression,
    /// <summary>A new issue or a regression (one of the defaults).</summary>
    NewOrRegressedIssue,
    ErrorRate,
    P95Duration,
    CostPerHour,
    VipAffected,
    EntryAffected,
    /// <summary>A function's last hour costs more than <see cref="AlertRule.Threshold"/> (default: the analysis' spike factor) times its usual hour.</summary>
    CostSpike,
}

[JsonConverter(typeof(CamelCaseEnumConverter<ChannelType>))]
public enum ChannelType
{
    /// <summary>Generic webhook: the notification as JSON.</summary>
    Webhook,
    /// <summary>Slack-style incoming webhook: <c>{"text": …}</c>.</summary>
    Slack,
    /// <summary>E-mail over SMTP.</summary>
    Email,
}

/// <summary>
/// One alert rule, from the rule file or the store. <see cref="Threshold"/> is a fraction for errorRate, milliseconds for
/// p95Duration, USD for costPerHour, a multiple of the usual hour for costSpike.
/// </summary>
public sealed record AlertRule
{
    /// <summary>Stable identity (links, silences, deduplication); a rule of the file has <c>file:</c> and its name.</summary>
    public string? Id { get; init; }
    public required string Name { get; init; }
    public AlertRuleType Type { get; init; }
    /// <summary>Only this function; null: every function (for costPerHour: the total of all).</summary>
    public string? Function { get; init; }
    /// <summary>For entryAffected: the entry point (<c>POST /payments</c>, <c>lunchbot</c>).</summary>
    public string? Entry { get; init; }
    public double? Threshold { get; init; }
    /// <summary>For errorRate and p95Duration: the window looked at (default 5 minutes).</summary>
    public TimeSpan? Window { get; init; }
    /// <summary>For errorRate and p95Duration: fewer invocations in the window never fire (default 1).</summary>
    public int MinInvocations { get; init; } = 1;
    /// <summary>The channels' ids (in the rule file: their names). None: the in-app list only.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    [JsonIgnore]
    public string Key => Id ?? Name;
}

/// <summary>Where notifications go. Webhook and Slack use <see cref="Url"/>; e-mail the SMTP fields.</summary>
public sealed record AlertChannel
{
    /// <summary>Stable identity that rules name; a channel of the file has <c>file:</c> and its name.</summary>
    public string? Id { get; init; }
    public required string Name { get; init; }
    public ChannelType Type { get; init; }
    public string? Url { get; init; }
    public string? SmtpHost { get; init; }
    public int SmtpPort { get; init; } = 25;
    /// <summary>STARTTLS when the server offers it (false: plain, for a local relay).</summary>
    public bool UseTls { get; init; }
    public string? UserName { get; init; }
    /// <summary>The environment variable holding the SMTP password (never the password itself).</summary>
    public string? PasswordEnvironmentVariable { get; init; }
    /// <summary>The SMTP password of a channel made in the UI or API (kept in the store, never shown back or logged).</summary>
    public string? Password { get; init; }
    public string? From { get; init; }
    public IReadOnlyList<string> To { get; init; } = [];
}

/// <summary>The alert rule file.</summary>
public sealed record AlertConfiguration
{
    public static AlertConfiguration Empty { get; } = new();

    /// <summary>Base of the links to issues (<c>{baseUrl}/issues/{id}</c>).</summary>
    public Uri? BaseUrl { get; init; }
    /// <summary>A condition still true this long after its notification is notified again (default 1 hour).</summary>
    public TimeSpan RenotifyInterval { get; init; } = TimeSpan.FromHours(1);
    public IReadOnlyList<AlertChannel> Channels { get; init; } = [];
    public IReadOnlyList<AlertRule> Rules { get; init; } = [];

    [JsonIgnore]
    public string? Path { get; init; }

    public const string FileIdPrefix = "file:";

    /// <summary>The file's rules and channels with their ids (<c>file:</c> and the name); rules name their channels by id.</summary>
    public AlertConfiguration WithFileIds() => this with
    {
        Channels = [.. Channels.Select(c => c with { Id = FileIdPrefix + c.Name })],
        Rules = [.. Rules.Select(r => r with { Id = FileIdPrefix + r.Name, Channels = [.. r.Channels.Select(c => FileIdPrefix + c)] })],
    };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var channels = Channels.Select(c => c.Name).ToHashSet();
        if (channels.Count != Channels.Count)
            errors.Add("Channel names must be unique.");
        if (Rules.Select(r => r.Name).Distinct().Count() != Rules.Count)
            errors.Add("Rule names must be unique.");
        if (RenotifyInterval <= TimeSpan.Zero)
            errors.Add("renotifyInterval must be positive.");
        foreach (var channel in Channels)
        {
            if (channel.Type is ChannelType.Webhook or ChannelType.Slack && !Uri.TryCreate(channel.Url, UriKind.Absolute, out _))
                errors.Add($"Channel '{channel.Name}': url must be an absolute URL.");
            if (channel.Type == ChannelType.Email && (channel.SmtpHost is null || channel.From is null || channel.To.Count == 0))
                errors.Add($"Channel '{channel.Name}': smtpHost, from and to are required for e-mail.");
        }
        foreach (var rule in Rules)
        {
            foreach (var missing in rule.Channels.Where(c => !channels.Contains(c)))
                errors.Add($"Rule '{rule.Name}': no channel '{missing}'.");
            if (rule.Type is AlertRuleType.ErrorRate or AlertRuleType.P95Duration or AlertRuleType.CostPerHour && rule.Threshold is not > 0)
                errors.Add($"Rule '{rule.Name}': a positive threshold is required for {rule.Type}.");
            if (rule.Type == AlertRuleType.CostSpike && rule.Threshold is <= 1)
                errors.Add($"Rule '{rule.Name}': the threshold of a cost spike is a multiple of the usual hour, above 1.");
            if (rule.Type == AlertRuleType.EntryAffected && string.IsNullOrWhiteSpace(rule.Entry))
                errors.Add($"Rule '{rule.Name}': entry is required for entryAffected.");
            if (rule.Window is { } window && window <= TimeSpan.Zero)
                errors.Add($"Rule '{rule.Name}': window must be positive.");
        }
        return errors;
    }
}
