using System.Globalization;
using MimeKit;

namespace Threadline.Analysis.Alerts.Management;

/// <summary>Checks a rule or channel from the API and builds it; every problem is reported at once, by field.</summary>
public static class AlertValidator
{
    public const int MaxName = 100;

    private static readonly Dictionary<string, AlertRuleType> RuleTypes = Enum.GetValues<AlertRuleType>().ToDictionary(Camel, t => t, StringComparer.Ordinal);
    private static readonly Dictionary<string, ChannelType> ChannelTypes = Enum.GetValues<ChannelType>().ToDictionary(Camel, t => t, StringComparer.Ordinal);

    public static string Camel<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>The rule the input describes (without id), or every problem with it.</summary>
    public static (AlertRule? Rule, IReadOnlyList<FieldError> Errors) Rule(AlertRuleInput? input, IEnumerable<AlertRule> otherRules, IEnumerable<AlertChannel> channels)
    {
        if (input is null)
            return (null, [new FieldError("", "A JSON body with the rule is required.")]);
        var errors = new List<FieldError>();
        var name = Name(input.Name, otherRules.Select(r => r.Name), "rule", errors);
        AlertRuleType? type = null;
        if (string.IsNullOrWhiteSpace(input.Type))
            errors.Add(new("type", $"type is required: one of {string.Join(", ", RuleTypes.Keys)}."));
        else if (RuleTypes.TryGetValue(input.Type.Trim(), out var parsed))
            type = parsed;
        else
            errors.Add(new("type", $"type '{input.Type}' is not one of {string.Join(", ", RuleTypes.Keys)}."));

        switch (type)
        {
            case AlertRuleType.ErrorRate when input.Threshold is not (> 0 and <= 1):
                errors.Add(new("threshold", "threshold is required for errorRate: a fraction above 0 and at most 1 (0.1 is 10%)."));
                break;
            case AlertRuleType.P95Duration or AlertRuleType.CostPerHour when input.Threshold is not > 0:
                errors.Add(new("threshold", $"threshold is required for {Camel(type.Value)}: a positive number ({(type == AlertRuleType.P95Duration ? "milliseconds" : "USD per hour")})."));
                break;
            case AlertRuleType.CostSpike when input.Threshold is <= 1:
                errors.Add(new("threshold", "threshold of a cost spike is a multiple of the usual hour, above 1 (leave it empty for the default)."));
                break;
            case AlertRuleType.EntryAffected when string.IsNullOrWhiteSpace(input.Entry):
                errors.Add(new("entry", "entry is required for entryAffected (e.g. POST /payments)."));
                break;
        }
        if (input.Threshold is { } threshold && !double.IsFinite(threshold))
            errors.Add(new("threshold", "threshold must be a finite number."));

        TimeSpan? window = null;
        if (!string.IsNullOrWhiteSpace(input.Window))
        {
            if (!TimeSpan.TryParse(input.Window, CultureInfo.InvariantCulture, out var parsedWindow))
                errors.Add(new("window", $"window '{input.Window}' is not a duration such as 00:05:00."));
            else if (parsedWindow <= TimeSpan.Zero || parsedWindow > TimeSpan.FromDays(1))
                errors.Add(new("window", "window must be positive and at most one day."));
            else
                window = parsedWindow;
        }
        if (input.MinInvocations is < 1)
            errors.Add(new("minInvocations", "minInvocations must be at least 1."));
        if (input.Function is { } function && string.IsNullOrWhiteSpace(function))
            errors.Add(new("function", "function must be a function's name, or left out for every function."));

        var known = channels.Select(c => c.Id!).ToHashSet(StringComparer.Ordinal);
        var ruleChannels = input.Channels ?? [];
        for (var i = 0; i < ruleChannels.Count; i++)
        {
            if (!known.Contains(ruleChannels[i] ?? ""))
                errors.Add(new($"channels[{i}]", $"There is no channel '{ruleChannels[i]}'."));
        }
        if (ruleChannels.Distinct(StringComparer.Ordinal).Count() != ruleChannels.Count)
            errors.Add(new("channels", "A channel is named twice."));

        if (errors.Count > 0)
            return (null, errors);
        var uses = type is AlertRuleType.ErrorRate or AlertRuleType.P95Duration;
        return (new AlertRule
        {
            Name = name!,
            Type = type!.Value,
            Function = string.IsNullOrWhiteSpace(input.Function) ? null : input.Function.Trim(),
            Entry = type == AlertRuleType.EntryAffected ? input.Entry!.Trim() : null,
            Threshold = type is AlertRuleType.ErrorRate or AlertRuleType.P95Duration or AlertRuleType.CostPerHour or AlertRuleType.CostSpike ? input.Threshold : null,
            Window = uses ? window : null,
            MinInvocations = uses ? input.MinInvocations ?? 1 : 1,
            Channels = [.. ruleChannels],
        }, []);
    }

    /// <summary>
    /// The channel the input describes (without id), or every problem with it. On an edit, <paramref name="existing"/>
    /// supplies the write-only fields the input leaves out.
    /// </summary>
    public static (AlertChannel? Channel, IReadOnlyList<FieldError> Errors) Channel(AlertChannelInput? input, AlertChannel? existing,
        IEnumerable<AlertChannel> otherChannels)
    {
        if (input is null)
            return (null, [new FieldError("", "A JSON body with the channel is required.")]);
        var errors = new List<FieldError>();
        var name = Name(input.Name, otherChannels.Select(c => c.Name), "channel", errors);
        ChannelType? type = null;
        if (string.IsNullOrWhiteSpace(input.Type))
            errors.Add(new("type", $"type is required: one of {string.Join(", ", ChannelTypes.Keys)}."));
        else if (ChannelTypes.TryGetValue(input.Type.Trim(), out var parsed))
            type = parsed;
        else
            errors.Add(new("type", $"type '{input.Type}' is not one of {string.Join(", ", ChannelTypes.Keys)}."));

        var url = input.Url ?? (existing?.Type == type ? existing?.Url : null);
        var password = input.Password is null ? existing?.Password : input.Password.Length == 0 ? null : input.Password;
        var to = (input.To ?? []).Select(t => t?.Trim() ?? "").ToList();
        if (type is ChannelType.Webhook or ChannelType.Slack)
        {
            if (string.IsNullOrWhiteSpace(url))
                errors.Add(new("url", "url is required: the http(s) address to post to."));
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var parsedUrl) || parsedUrl.Scheme is not ("http" or "https"))
                errors.Add(new("url", "url must be an absolute http or https address."));
        }
        else if (type == ChannelType.Email)
        {
            if (string.IsNullOrWhiteSpace(input.SmtpHost))
                errors.Add(new("smtpHost", "smtpHost is required for e-mail."));
            if (input.SmtpPort is < 1 or > 65535)
                errors.Add(new("smtpPort", "smtpPort must be between 1 and 65535."));
            if (string.IsNullOrWhiteSpace(input.From))
                errors.Add(new("from", "from is required for e-mail: the sender's address."));
            else if (!MailboxAddress.TryParse(input.From, out _))
                errors.Add(new("from", $"from '{input.From}' is not an e-mail address."));
            if (to.Count == 0)
                errors.Add(new("to", "to is required for e-mail: at least one recipient."));
            for (var i = 0; i < to.Count; i++)
            {
                if (!MailboxAddress.TryParse(to[i], out var address) || !address.Address.Contains('@', StringComparison.Ordinal))
                    errors.Add(new($"to[{i}]", $"'{to[i]}' is not an e-mail address."));
            }
            if (password is not null && string.IsNullOrWhiteSpace(input.UserName))
                errors.Add(new("userName", "userName is required with a password."));
        }
        if (errors.Count > 0)
            return (null, errors);
        return (type == ChannelType.Email
            ? new AlertChannel
            {
                Name = name!,
                Type = ChannelType.Email,
                SmtpHost = input.SmtpHost!.Trim(),
                SmtpPort = input.SmtpPort ?? 25,
                UseTls = input.UseTls ?? false,
                UserName = string.IsNullOrWhiteSpace(input.UserName) ? null : input.UserName.Trim(),
                Password = password,
                From = input.From!.Trim(),
                To = to,
            }
            : new AlertChannel { Name = name!, Type = type!.Value, Url = url!.Trim() }, []);
    }

    private static string? Name(string? name, IEnumerable<string> others, string what, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new("name", $"name is required: what the {what} is called."));
            return null;
        }
        name = name.Trim();
        if (name.Length > MaxName)
            errors.Add(new("name", $"name is longer than {MaxName} characters."));
        if (others.Contains(name, StringComparer.OrdinalIgnoreCase))
            errors.Add(new("name", $"Another {what} is called '{name}'."));
        return name;
    }
}
