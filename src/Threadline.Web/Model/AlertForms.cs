using System.Globalization;
using Threadline.Analysis.Alerts;
using Threadline.Analysis.Alerts.Management;

namespace Threadline.Web.Model;

/// <summary>The rule form's fields as typed; <see cref="ToInput"/> turns them into the API's input and the typing errors.</summary>
public sealed class RuleForm
{
    public static readonly IReadOnlyList<(string Value, string Label)> Types =
    [
        ("newOrRegressedIssue", "New or regressed issue"), ("newIssue", "New issue"), ("regression", "Regression"),
        ("errorRate", "Error rate over a threshold"), ("p95Duration", "p95 duration over a threshold"), ("costPerHour", "Cost per hour over a threshold"),
        ("costSpike", "Cost spike"), ("vipAffected", "A VIP user is hit"), ("entryAffected", "An entry point fails"),
    ];

    public string? Id { get; init; }
    public long? Version { get; init; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "newOrRegressedIssue";
    public string Function { get; set; } = "";
    public string Entry { get; set; } = "";
    public string Threshold { get; set; } = "";
    public string WindowMinutes { get; set; } = "5";
    public string MinInvocations { get; set; } = "1";
    public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);

    public bool UsesThreshold => Type is "errorRate" or "p95Duration" or "costPerHour" or "costSpike";
    public bool UsesWindow => Type is "errorRate" or "p95Duration";
    public bool UsesEntry => Type == "entryAffected";

    public string ThresholdHint => Type switch
    {
        "errorRate" => "a fraction: 0.1 is 10%",
        "p95Duration" => "milliseconds",
        "costPerHour" => "USD in the last hour",
        "costSpike" => "times the usual hour (empty: the default)",
        _ => "",
    };

    public static RuleForm Of(AlertRuleResponse rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var form = new RuleForm
        {
            Id = rule.Id,
            Version = rule.Version,
            Name = rule.Name,
            Type = AlertValidator.Camel(rule.Type),
            Function = rule.Function ?? "",
            Entry = rule.Entry ?? "",
            Threshold = rule.Threshold?.ToString(CultureInfo.InvariantCulture) ?? "",
            WindowMinutes = (rule.Window ?? TimeSpan.FromMinutes(5)).TotalMinutes.ToString(CultureInfo.InvariantCulture),
            MinInvocations = rule.MinInvocations.ToString(CultureInfo.InvariantCulture),
        };
        form.Channels.UnionWith(rule.Channels);
        return form;
    }

    /// <summary>The input for the API, and the fields that are not numbers where numbers are expected.</summary>
    public (AlertRuleInput Input, IReadOnlyList<FieldError> Errors) ToInput()
    {
        var errors = new List<FieldError>();
        var threshold = UsesThreshold ? Number(Threshold, "threshold", errors) : null;
        var window = UsesWindow ? Number(WindowMinutes, "window", errors) : null;
        var min = UsesWindow ? Number(MinInvocations, "minInvocations", errors) : null;
        if (window is { } minutes && (minutes <= 0 || minutes > 24 * 60))
        {
            errors.Add(new("window", "The window must be above 0 and at most 1440 minutes."));
            window = null;
        }
        return (new AlertRuleInput(Name, Type, Function.Length == 0 ? null : Function, UsesEntry ? Entry : null, threshold,
            window is { } w ? TimeSpan.FromMinutes(w).ToString("c", CultureInfo.InvariantCulture) : null,
            min is { } m ? (int)Math.Round(m) : null, [.. Channels], Version), errors);
    }

    private static double? Number(string text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        errors.Add(new(field, $"'{text}' is not a number."));
        return null;
    }
}

/// <summary>The channel form's fields as typed. The URL and password are write-only: empty on an edit keeps them.</summary>
public sealed class ChannelForm
{
    public static readonly IReadOnlyList<(string Value, string Label)> Types = [("webhook", "Webhook (JSON)"), ("slack", "Slack incoming webhook"), ("email", "E-mail (SMTP)")];

    public string? Id { get; init; }
    public long? Version { get; init; }
    public bool UrlSet { get; init; }
    public bool PasswordSet { get; init; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "webhook";
    public string Url { get; set; } = "";
    public string SmtpHost { get; set; } = "";
    public string SmtpPort { get; set; } = "25";
    public bool UseTls { get; set; }
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    public bool RemovePassword { get; set; }
    public string From { get; set; } = "";
    public string To { get; set; } = "";

    public bool IsEmail => Type == "email";

    public static ChannelForm Of(AlertChannelResponse channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelForm
        {
            Id = channel.Id,
            Version = channel.Version,
            UrlSet = channel.UrlSet,
            PasswordSet = channel.PasswordSet,
            Name = channel.Name,
            Type = AlertValidator.Camel(channel.Type),
            SmtpHost = channel.SmtpHost ?? "",
            SmtpPort = (channel.SmtpPort ?? 25).ToString(CultureInfo.InvariantCulture),
            UseTls = channel.UseTls,
            UserName = channel.UserName ?? "",
            From = channel.From ?? "",
            To = string.Join(", ", channel.To),
        };
    }

    public (AlertChannelInput Input, IReadOnlyList<FieldError> Errors) ToInput()
    {
        var errors = new List<FieldError>();
        int? port = null;
        if (IsEmail && !string.IsNullOrWhiteSpace(SmtpPort))
        {
            if (int.TryParse(SmtpPort, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                port = parsed;
            else
                errors.Add(new("smtpPort", $"'{SmtpPort}' is not a port number."));
        }
        string? password = RemovePassword ? "" : Password.Length == 0 ? null : Password;
        return (new AlertChannelInput(Name, Type, IsEmail || (Id is not null && Url.Length == 0) ? null : Url,
            IsEmail ? SmtpHost : null, port, IsEmail ? UseTls : null, IsEmail ? UserName : null, IsEmail ? password : null,
            IsEmail ? From : null, IsEmail ? [.. To.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : null, Version), errors);
    }
}

/// <summary>Field errors by field, for showing each under its input.</summary>
public sealed class FormErrors
{
    private readonly List<FieldError> _errors = [];

    public bool Any => _errors.Count > 0;

    public string? Summary { get; private set; }

    public void Set(string? summary, IEnumerable<FieldError> errors)
    {
        _errors.Clear();
        _errors.AddRange(errors.DistinctBy(e => (e.Field, e.Message)));
        Summary = summary;
    }

    public void Clear() => Set(null, []);

    /// <summary>The messages of a field; <c>to</c> also gathers <c>to[1]</c> and the like.</summary>
    public IEnumerable<string> Of(string field) =>
        _errors.Where(e => e.Field == field || e.Field.StartsWith(field + "[", StringComparison.Ordinal)).Select(e => e.Message);

    /// <summary>Errors not tied to a field shown in the form (e.g. a body-level one).</summary>
    public IEnumerable<string> Others(IEnumerable<string> shown) =>
        _errors.Where(e => !shown.Any(f => e.Field == f || e.Field.StartsWith(f + "[", StringComparison.Ordinal))).Select(e => e.Message);
}
