using Microsoft.AspNetCore.Components;
using Threadline.Analysis.Alerts;
using Threadline.Analysis.Alerts.Management;
using Threadline.Web.Data;
using Threadline.Web.Model;

namespace Threadline.Web.Components.Pages;

/// <summary>
/// Alert rules and channels with their create/edit/delete forms (the rule file's read-only), mute and snooze, a test per
/// channel, and the in-app notification list. Everything goes through <see cref="AlertManager"/>, as the API does.
/// </summary>
public partial class Alerts
{
    private static readonly string[] RuleFields = ["name", "type", "function", "entry", "threshold", "window", "minInvocations", "channels"];
    private static readonly string[] ChannelFields = ["name", "type", "url", "smtpHost", "smtpPort", "userName", "password", "from", "to"];

    private AlertRulesResponse? _rules;
    private AlertChannelsResponse? _channels;
    private IReadOnlyList<AlertNotification> _notifications = [];
    private IReadOnlyList<string> _functions = [];
    private int _unread;
    private string? _error;
    private RuleForm? _ruleForm;
    private ChannelForm? _channelForm;
    private readonly FormErrors _ruleErrors = new();
    private readonly FormErrors _channelErrors = new();
    private string? _ruleMessage;
    private string? _channelMessage;
    private readonly Dictionary<string, ChannelOutcome> _testResults = [];

    [Inject] private AnalysisReader Analysis { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        if (!Analysis.Enabled)
            return;
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        try
        {
            _rules = await Analysis.Alerts.RulesAsync(CancellationToken.None);
            _channels = await Analysis.Alerts.ChannelsAsync(CancellationToken.None);
            _notifications = Analysis.Alerts.Notifications();
            _unread = Analysis.Alerts.Unread();
            _functions = Analysis.Queries.Functions(null, null).Select(f => f.Function).ToList();
            _error = null;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            _error = e.Message;
        }
    }

    private string ChannelName(string id) => _channels?.Channels.FirstOrDefault(c => c.Id == id)?.Name ?? id;

    private static string AlertValidatorName(ChannelType type) => AlertValidator.Camel(type);

    private static AlertRule AsRule(AlertRuleResponse rule) => new()
    {
        Id = rule.Id, Name = rule.Name, Type = rule.Type, Function = rule.Function, Entry = rule.Entry, Threshold = rule.Threshold, Window = rule.Window,
        MinInvocations = rule.MinInvocations, Channels = rule.Channels,
    };

    private void NewRule()
    {
        _ruleForm = new RuleForm();
        _ruleErrors.Clear();
    }

    private void EditRule(AlertRuleResponse rule)
    {
        _ruleForm = RuleForm.Of(rule);
        _ruleErrors.Clear();
    }

    private void CancelRule()
    {
        _ruleForm = null;
        _ruleErrors.Clear();
    }

    private void ToggleChannel(string id, ChangeEventArgs e)
    {
        if (e.Value is true)
            _ruleForm?.Channels.Add(id);
        else
            _ruleForm?.Channels.Remove(id);
    }

    private async Task SaveRule()
    {
        if (_ruleForm is null)
            return;
        var (input, typing) = _ruleForm.ToInput();
        if (typing.Count > 0)
        {
            // Not saved: the typing errors and whatever else the rule has wrong, all at once.
            var setup = await Analysis.Alerts.CurrentAsync(CancellationToken.None);
            var (_, others) = AlertValidator.Rule(input, setup.Rules.Where(r => r.Id != _ruleForm.Id), setup.Channels);
            var errors = typing.Concat(others.Where(o => typing.All(t => t.Field != o.Field))).ToList();
            _ruleErrors.Set($"The rule has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}.", errors);
            return;
        }
        var result = _ruleForm.Id is null
            ? await Analysis.Alerts.CreateRuleAsync(input, CancellationToken.None)
            : await Analysis.Alerts.UpdateRuleAsync(_ruleForm.Id, input, CancellationToken.None);
        if (result.Outcome is AlertOutcome.Ok or AlertOutcome.Created)
        {
            CancelRule();
            await ReloadAsync();
            return;
        }
        _ruleErrors.Set(result.Message, result.Errors ?? []);
    }

    private async Task DeleteRule(AlertRuleResponse rule)
    {
        var result = await Analysis.Alerts.DeleteRuleAsync(rule.Id, null, CancellationToken.None);
        _ruleMessage = result.Outcome == AlertOutcome.Ok ? null : result.Message;
        if (_ruleForm?.Id == rule.Id)
            CancelRule();
        await ReloadAsync();
    }

    private async Task Silence(AlertRuleResponse rule, bool mute)
    {
        var result = await Analysis.Alerts.SilenceAsync("rule", rule.Id, Silencing.Input(mute), CancellationToken.None);
        _ruleMessage = result.Outcome == AlertOutcome.Ok ? null : result.Message;
        await ReloadAsync();
    }

    private async Task Unsilence(AlertRuleResponse rule)
    {
        await Analysis.Alerts.UnsilenceAsync("rule", rule.Id, CancellationToken.None);
        await ReloadAsync();
    }

    private void NewChannel()
    {
        _channelForm = new ChannelForm();
        _channelErrors.Clear();
    }

    private void EditChannel(AlertChannelResponse channel)
    {
        _channelForm = ChannelForm.Of(channel);
        _channelErrors.Clear();
    }

    private void CancelChannel()
    {
        _channelForm = null;
        _channelErrors.Clear();
    }

    private async Task SaveChannel()
    {
        if (_channelForm is null)
            return;
        var (input, typing) = _channelForm.ToInput();
        if (typing.Count > 0)
        {
            var setup = await Analysis.Alerts.CurrentAsync(CancellationToken.None);
            var existing = _channelForm.Id is null ? null : setup.Channel(_channelForm.Id);
            var (_, others) = AlertValidator.Channel(input, existing, setup.Channels.Where(c => c.Id != _channelForm.Id));
            var errors = typing.Concat(others.Where(o => typing.All(t => t.Field != o.Field))).ToList();
            _channelErrors.Set($"The channel has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}.", errors);
            return;
        }
        var result = _channelForm.Id is null
            ? await Analysis.Alerts.CreateChannelAsync(input, CancellationToken.None)
            : await Analysis.Alerts.UpdateChannelAsync(_channelForm.Id, input, CancellationToken.None);
        if (result.Outcome is AlertOutcome.Ok or AlertOutcome.Created)
        {
            CancelChannel();
            await ReloadAsync();
            return;
        }
        _channelErrors.Set(result.Message, result.Errors ?? []);
    }

    private async Task DeleteChannel(AlertChannelResponse channel)
    {
        var result = await Analysis.Alerts.DeleteChannelAsync(channel.Id, null, CancellationToken.None);
        _channelMessage = result.Outcome == AlertOutcome.Ok ? null : result.Message;
        if (_channelForm?.Id == channel.Id)
            CancelChannel();
        await ReloadAsync();
    }

    private async Task TestChannel(AlertChannelResponse channel)
    {
        var result = await Analysis.Alerts.TestChannelAsync(channel.Id, CancellationToken.None);
        if (result.Value is { } outcome)
            _testResults[channel.Id] = outcome;
        await ReloadAsync();
    }

    private async Task MarkAllRead()
    {
        Analysis.Alerts.MarkAllRead();
        await ReloadAsync();
    }
}
