using System.Security.Cryptography;
using System.Text.Json;
using Threadline.Analysis.Configuration;
using Threadline.Storage.Configuration;

namespace Threadline.Analysis.Alerts.Management;

/// <summary>
/// The alert rules, channels and silences, for the API and the UI alike: those of the rule file (provisioned, read-only)
/// and those kept in the store (created, edited and deleted here, validated with every problem at once). Channel secrets
/// are kept in the store and never answered.
/// </summary>
public sealed class AlertManager(IAlertConfigurationStore store, AlertRuleSource file, AnalysisOptions options, AlertSender sender, AlertLedger ledger,
    NotificationLinks links)
{
    private const string DefaultsSetting = "alert-defaults-created";

    /// <summary>The rules, channels and silences in force now (file first, then the store's, each in id order).</summary>
    public async Task<AlertSetup> CurrentAsync(CancellationToken cancellationToken)
    {
        var provisioned = file.Current();
        var rules = await StoredAsync<AlertRule>(DocumentKind.AlertRule, cancellationToken).ConfigureAwait(false);
        var channels = await StoredAsync<AlertChannel>(DocumentKind.AlertChannel, cancellationToken).ConfigureAwait(false);
        var silences = await StoredAsync<AlertSilence>(DocumentKind.AlertSilence, cancellationToken).ConfigureAwait(false);
        return new AlertSetup(provisioned.BaseUrl, provisioned.RenotifyInterval,
            [.. provisioned.Rules, .. rules.Select(r => r.Value with { Id = r.Id })],
            [.. provisioned.Channels, .. channels.Select(c => c.Value with { Id = c.Id })],
            silences.ToDictionary(s => s.Id, s => s.Value));
    }

    /// <summary>
    /// On a new installation (no record that defaults were made), creates the default rules, unless the rule file
    /// provisions rules (then it stands in for the defaults). Safe when several processes start at once.
    /// </summary>
    public async Task CreateDefaultsAsync(CancellationToken cancellationToken)
    {
        if (await store.GetAsync(DocumentKind.Setting, DefaultsSetting, cancellationToken).ConfigureAwait(false) is not null)
            return;
        if (file.Current().Rules.Count == 0)
        {
            foreach (var rule in DefaultAlertRules.All)
                await TryCreateAsync(DocumentKind.AlertRule, rule.Id!, Serialize(rule with { Id = null }), cancellationToken).ConfigureAwait(false);
        }
        await TryCreateAsync(DocumentKind.Setting, DefaultsSetting, JsonSerializer.Serialize(options.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    public async Task<AlertRulesResponse> RulesAsync(CancellationToken cancellationToken)
    {
        var setup = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var versions = await VersionsAsync(DocumentKind.AlertRule, cancellationToken).ConfigureAwait(false);
        return new AlertRulesResponse(file.Path, setup.BaseUrl?.ToString(), setup.RenotifyInterval,
            [.. setup.Rules.Select(r => RuleResponse(r, setup, versions))]);
    }

    public async Task<AlertChannelsResponse> ChannelsAsync(CancellationToken cancellationToken)
    {
        var setup = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var versions = await VersionsAsync(DocumentKind.AlertChannel, cancellationToken).ConfigureAwait(false);
        return new AlertChannelsResponse(file.Path, [.. setup.Channels.Select(c => ChannelResponse(c, versions))]);
    }

    public async Task<AlertRuleResponse?> RuleAsync(string id, CancellationToken cancellationToken) =>
        (await RulesAsync(cancellationToken).ConfigureAwait(false)).Rules.FirstOrDefault(r => r.Id == id);

    public async Task<AlertChannelResponse?> ChannelAsync(string id, CancellationToken cancellationToken) =>
        (await ChannelsAsync(cancellationToken).ConfigureAwait(false)).Channels.FirstOrDefault(c => c.Id == id);

    public Task<AlertResult<AlertRuleResponse>> CreateRuleAsync(AlertRuleInput? input, CancellationToken cancellationToken) =>
        SaveRuleAsync(null, input, cancellationToken);

    public Task<AlertResult<AlertRuleResponse>> UpdateRuleAsync(string id, AlertRuleInput? input, CancellationToken cancellationToken) =>
        SaveRuleAsync(id, input, cancellationToken);

    public Task<AlertResult<AlertChannelResponse>> CreateChannelAsync(AlertChannelInput? input, CancellationToken cancellationToken) =>
        SaveChannelAsync(null, input, cancellationToken);

    public Task<AlertResult<AlertChannelResponse>> UpdateChannelAsync(string id, AlertChannelInput? input, CancellationToken cancellationToken) =>
        SaveChannelAsync(id, input, cancellationToken);

    public async Task<AlertResult<bool>> DeleteRuleAsync(string id, long? version, CancellationToken cancellationToken)
    {
        if (IsProvisioned(id))
            return AlertResult<bool>.Conflict(ReadOnlyMessage("rule", id));
        try
        {
            if (!await store.DeleteAsync(DocumentKind.AlertRule, id, version, cancellationToken).ConfigureAwait(false))
                return AlertResult<bool>.NotFound($"There is no rule '{id}'.");
        }
        catch (ConfigurationConflictException e)
        {
            return AlertResult<bool>.Conflict(e.Message);
        }
        await store.DeleteAsync(DocumentKind.AlertSilence, AlertSilence.RuleKey(id), null, cancellationToken).ConfigureAwait(false);
        return AlertResult<bool>.Ok(true);
    }

    public async Task<AlertResult<bool>> DeleteChannelAsync(string id, long? version, CancellationToken cancellationToken)
    {
        if (IsProvisioned(id))
            return AlertResult<bool>.Conflict(ReadOnlyMessage("channel", id));
        var setup = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (setup.Channel(id) is null)
            return AlertResult<bool>.NotFound($"There is no channel '{id}'.");
        var users = setup.Rules.Where(r => r.Channels.Contains(id, StringComparer.Ordinal)).Select(r => $"'{r.Name}'").ToList();
        if (users.Count > 0)
            return AlertResult<bool>.Conflict($"The channel is used by the rule{(users.Count == 1 ? "" : "s")} {string.Join(", ", users)}; remove it from them first.");
        try
        {
            return await store.DeleteAsync(DocumentKind.AlertChannel, id, version, cancellationToken).ConfigureAwait(false)
                ? AlertResult<bool>.Ok(true)
                : AlertResult<bool>.NotFound($"There is no channel '{id}'.");
        }
        catch (ConfigurationConflictException e)
        {
            return AlertResult<bool>.Conflict(e.Message);
        }
    }

    /// <summary>Sends a test notification through the channel (file or store) and says whether it was delivered.</summary>
    public async Task<AlertResult<ChannelOutcome>> TestChannelAsync(string id, CancellationToken cancellationToken)
    {
        var setup = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (setup.Channel(id) is not { } channel)
            return AlertResult<ChannelOutcome>.NotFound($"There is no channel '{id}'.");
        var baseUrl = links.Base(setup);
        var notification = new AlertNotification(options.Time.GetUtcNow(), "test", AlertRuleType.NewIssue,
            $"Test notification from Threadline to the channel '{channel.Name}': it works.", new Uri(baseUrl + "/alerts"), null, null, false, []);
        var outcome = await sender.SendAsync(channel, notification, cancellationToken).ConfigureAwait(false);
        return outcome.Delivered ? AlertResult<ChannelOutcome>.Ok(outcome) : new AlertResult<ChannelOutcome>(AlertOutcome.NotDelivered, outcome, outcome.Error);
    }

    /// <summary>Mutes (until unmuted) or snoozes (for some minutes) a rule (<c>rule</c>) or an issue (<c>issue</c>).</summary>
    public async Task<AlertResult<SilenceResponse>> SilenceAsync(string target, string id, SilenceInput? input, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (input is null || (input.Mute is not true && input.Minutes is null))
            errors.Add(new("", "Give {\"mute\": true} or {\"minutes\": N}."));
        else if (input.Mute is true && input.Minutes is not null)
            errors.Add(new("minutes", "Either mute or snooze for some minutes, not both."));
        else if (input.Minutes is { } minutes && minutes is not (> 0 and <= 60 * 24 * 30))
            errors.Add(new("minutes", "minutes must be above 0 and at most 30 days."));
        if (errors.Count > 0)
            return AlertResult<SilenceResponse>.Invalid("silence", errors);
        if (target == "rule" && (await CurrentAsync(cancellationToken).ConfigureAwait(false)).Rules.All(r => r.Id != id))
            return AlertResult<SilenceResponse>.NotFound($"There is no rule '{id}'.");
        var silence = input!.Mute is true
            ? new AlertSilence(true, null)
            : new AlertSilence(false, options.Time.GetUtcNow().AddMinutes(input.Minutes!.Value));
        var key = target == "rule" ? AlertSilence.RuleKey(id) : AlertSilence.IssueKey(id);
        await store.PutAsync(DocumentKind.AlertSilence, key, Serialize(silence), null, cancellationToken).ConfigureAwait(false);
        return AlertResult<SilenceResponse>.Ok(new SilenceResponse(silence.Muted, silence.SnoozedUntil));
    }

    /// <summary>Ends a rule's or an issue's mute or snooze; false when there was none.</summary>
    public Task<bool> UnsilenceAsync(string target, string id, CancellationToken cancellationToken) =>
        store.DeleteAsync(DocumentKind.AlertSilence, target == "rule" ? AlertSilence.RuleKey(id) : AlertSilence.IssueKey(id), null, cancellationToken);

    /// <summary>The silences in force now.</summary>
    public async Task<IReadOnlyList<SilenceView>> SilencesAsync(CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        return [.. (await StoredAsync<AlertSilence>(DocumentKind.AlertSilence, cancellationToken).ConfigureAwait(false))
            .Where(s => s.Value.ActiveAt(now))
            .Select(s => new SilenceView(s.Id[..s.Id.IndexOf(':', StringComparison.Ordinal)], s.Id[(s.Id.IndexOf(':', StringComparison.Ordinal) + 1)..],
                s.Value.Muted, s.Value.SnoozedUntil))];
    }

    /// <summary>The mute or snooze in force now on one rule (<c>rule</c>) or issue (<c>issue</c>); null when there is none.</summary>
    public async Task<SilenceResponse?> SilenceOfAsync(string target, string id, CancellationToken cancellationToken) =>
        (await SilencesAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Target == target && s.Id == id) is { } silence
            ? new SilenceResponse(silence.Muted, silence.SnoozedUntil)
            : null;

    /// <summary>The in-app list: the latest notifications, latest first.</summary>
    public IReadOnlyList<AlertNotification> Notifications() => ledger.Recent();

    public int Unread() => ledger.Unread();

    public void MarkAllRead() => ledger.MarkAllRead();

    private async Task<AlertResult<AlertRuleResponse>> SaveRuleAsync(string? id, AlertRuleInput? input, CancellationToken cancellationToken)
    {
        if (id is not null && IsProvisioned(id))
            return AlertResult<AlertRuleResponse>.Conflict(ReadOnlyMessage("rule", id));
        var setup = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (id is not null && setup.Rules.All(r => r.Id != id))
            return AlertResult<AlertRuleResponse>.NotFound($"There is no rule '{id}'.");
        var (rule, errors) = AlertValidator.Rule(input, setup.Rules.Where(r => r.Id != id), setup.Channels);
        if (rule is null)
            return AlertResult<AlertRuleResponse>.Invalid("rule", errors);
        var newId = id ?? NewId("r");
        try
        {
            await store.PutAsync(DocumentKind.AlertRule, newId, Serialize(rule), id is null ? 0 : input!.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigurationConflictException e)
        {
            return AlertResult<AlertRuleResponse>.Conflict(e.Message);
        }
        var saved = (await RuleAsync(newId, cancellationToken).ConfigureAwait(false))!;
        return new AlertResult<AlertRuleResponse>(id is null ? AlertOutcome.Created : AlertOutcome.Ok, saved);
    }

    private async Task<AlertResult<AlertChannelResponse>> SaveChannelAsync(string? id, AlertChannelInput? input, CancellationToken cancellationToken)
    {
        if (id is not null && IsProvisioned(id))
            return AlertResult<AlertChannelResponse>.Conflict(ReadOnlyMessage("channel", id));
        var setup = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var existing = id is null ? null : setup.Channel(id);
        if (id is not null && existing is null)
            return AlertResult<AlertChannelResponse>.NotFound($"There is no channel '{id}'.");
        var (channel, errors) = AlertValidator.Channel(input, existing, setup.Channels.Where(c => c.Id != id));
        if (channel is null)
            return AlertResult<AlertChannelResponse>.Invalid("channel", errors);
        var newId = id ?? NewId("c");
        try
        {
            await store.PutAsync(DocumentKind.AlertChannel, newId, Serialize(channel), id is null ? 0 : input!.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigurationConflictException e)
        {
            return AlertResult<AlertChannelResponse>.Conflict(e.Message);
        }
        var saved = (await ChannelAsync(newId, cancellationToken).ConfigureAwait(false))!;
        return new AlertResult<AlertChannelResponse>(id is null ? AlertOutcome.Created : AlertOutcome.Ok, saved);
    }

    private static bool IsProvisioned(string id) => id.StartsWith(AlertConfiguration.FileIdPrefix, StringComparison.Ordinal);

    private string ReadOnlyMessage(string what, string id) =>
        $"The {what} '{id}' comes from the rule file {file.Path}; edit the file to change it.";

    private static string NewId(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";

    private async Task TryCreateAsync(DocumentKind kind, string id, string json, CancellationToken cancellationToken)
    {
        try
        {
            await store.PutAsync(kind, id, json, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigurationConflictException)
        {
            // Another process made it first.
        }
    }

    private async Task<List<(string Id, T Value)>> StoredAsync<T>(DocumentKind kind, CancellationToken cancellationToken)
    {
        var documents = await store.ListAsync(kind, cancellationToken).ConfigureAwait(false);
        return [.. documents.Select(d => (d.Id, JsonSerializer.Deserialize<T>(d.Json, AlertRuleSource.Json)
            ?? throw new InvalidDataException($"The stored {kind} '{d.Id}' is empty.")))];
    }

    private async Task<Dictionary<string, long>> VersionsAsync(DocumentKind kind, CancellationToken cancellationToken) =>
        (await store.ListAsync(kind, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Id, d => d.Version);

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, AlertRuleSource.Json);

    private AlertRuleResponse RuleResponse(AlertRule rule, AlertSetup setup, Dictionary<string, long> versions)
    {
        var provisioned = IsProvisioned(rule.Id!);
        var silence = setup.Silences.GetValueOrDefault(AlertSilence.RuleKey(rule.Id!)) is { } s && s.ActiveAt(options.Time.GetUtcNow())
            ? new SilenceResponse(s.Muted, s.SnoozedUntil)
            : null;
        return new AlertRuleResponse(rule.Id!, rule.Name, rule.Type, rule.Function, rule.Entry, rule.Threshold, rule.Window, rule.MinInvocations, rule.Channels,
            provisioned ? "file" : "store", provisioned, versions.TryGetValue(rule.Id!, out var version) ? version : null, DefaultAlertRules.IsDefault(rule.Id!),
            silence);
    }

    private static AlertChannelResponse ChannelResponse(AlertChannel channel, Dictionary<string, long> versions)
    {
        var provisioned = IsProvisioned(channel.Id!);
        var email = channel.Type == ChannelType.Email;
        var target = email
            ? $"{string.Join(", ", channel.To)} via {channel.SmtpHost}:{channel.SmtpPort}"
            : Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) ? $"{url.Scheme}://{url.Authority}/…" : "";
        return new AlertChannelResponse(channel.Id!, channel.Name, channel.Type, target, !email && !string.IsNullOrEmpty(channel.Url),
            email ? channel.SmtpHost : null, email ? channel.SmtpPort : null, channel.UseTls, channel.UserName,
            channel.Password is not null || channel.PasswordEnvironmentVariable is not null, channel.From, channel.To,
            provisioned ? "file" : "store", provisioned, versions.TryGetValue(channel.Id!, out var version) ? version : null);
    }
}
