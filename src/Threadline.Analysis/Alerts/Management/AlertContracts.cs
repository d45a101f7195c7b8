namespace Threadline.Analysis.Alerts.Management;

/// <summary>A rule as created or edited through the API. <see cref="Window"/> is a duration such as <c>00:05:00</c>.</summary>
public sealed record AlertRuleInput(string? Name, string? Type, string? Function, string? Entry, double? Threshold, string? Window,
    int? MinInvocations, IReadOnlyList<string>? Channels, long? Version);

/// <summary>
/// A channel as created or edited through the API. <see cref="Url"/> and <see cref="Password"/> are write-only: on an
/// edit, null keeps the stored value (an empty password removes it).
/// </summary>
public sealed record AlertChannelInput(string? Name, string? Type, string? Url, string? SmtpHost, int? SmtpPort, bool? UseTls, string? UserName,
    string? Password, string? From, IReadOnlyList<string>? To, long? Version);

/// <summary>One problem with an input: the field (<c>threshold</c>, <c>to[1]</c>) and what is wrong.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The body of a 400: a sentence, and every problem found.</summary>
public sealed record ValidationErrorResponse(string Error, IReadOnlyList<FieldError> Errors);

public sealed record SilenceResponse(bool Muted, DateTimeOffset? SnoozedUntil);

/// <summary>A mute (no end) or a snooze (<see cref="Minutes"/> from now).</summary>
public sealed record SilenceInput(bool? Mute, double? Minutes);

/// <summary>A rule as answered. <see cref="Source"/> is <c>store</c> (editable) or <c>file</c> (provisioned, read-only).</summary>
public sealed record AlertRuleResponse(string Id, string Name, AlertRuleType Type, string? Function, string? Entry, double? Threshold, TimeSpan? Window,
    int MinInvocations, IReadOnlyList<string> Channels, string Source, bool ReadOnly, long? Version, bool Default, SilenceResponse? Silence);

/// <summary>
/// A channel as answered, without its secrets: <see cref="Target"/> is a webhook's scheme and host only (a Slack URL
/// carries its token), <see cref="UrlSet"/> and <see cref="PasswordSet"/> say whether those are stored.
/// </summary>
public sealed record AlertChannelResponse(string Id, string Name, ChannelType Type, string Target, bool UrlSet, string? SmtpHost, int? SmtpPort,
    bool UseTls, string? UserName, bool PasswordSet, string? From, IReadOnlyList<string> To, string Source, bool ReadOnly, long? Version);

/// <summary>The rules: the rule file's path (null when none), how often a holding threshold is notified again, and every rule.</summary>
public sealed record AlertRulesResponse(string? Path, string? BaseUrl, TimeSpan RenotifyInterval, IReadOnlyList<AlertRuleResponse> Rules);

public sealed record AlertChannelsResponse(string? Path, IReadOnlyList<AlertChannelResponse> Channels);

/// <summary>A silence in force, of a rule or an issue.</summary>
public sealed record SilenceView(string Target, string Id, bool Muted, DateTimeOffset? SnoozedUntil);

public sealed record UnreadResponse(int Unread);

/// <summary>What a request came to; the endpoints map it to a status code.</summary>
public enum AlertOutcome
{
    Ok,
    Created,
    NotFound,
    Invalid,
    /// <summary>A provisioned (read-only) item, a stale version, or a channel still in use.</summary>
    Conflict,
    /// <summary>A test notification was not delivered.</summary>
    NotDelivered,
}

public sealed record AlertResult<T>(AlertOutcome Outcome, T? Value, string? Message = null, IReadOnlyList<FieldError>? Errors = null)
{
    public static AlertResult<T> Ok(T value) => new(AlertOutcome.Ok, value);

    public static AlertResult<T> NotFound(string message) => new(AlertOutcome.NotFound, default, message);

    public static AlertResult<T> Conflict(string message) => new(AlertOutcome.Conflict, default, message);

    public static AlertResult<T> Invalid(string what, IReadOnlyList<FieldError> errors) =>
        new(AlertOutcome.Invalid, default, $"The {what} has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}.", errors);
}
