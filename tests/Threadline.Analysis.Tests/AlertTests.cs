using System.Text.Json;
using Threadline.Analysis.Alerts;
using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Tests;

/// <summary>
/// Every alert rule on the seeded payments run, evaluated deterministically, delivered to a real local HTTP receiver
/// (generic and Slack-style webhooks) and a real local SMTP sink through MailKit.
/// </summary>
public sealed class AlertTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;
    private readonly SmtpSink _smtp = new();
    private HttpReceiver _receiver = null!;
    private AnalysisServer _server = null!;
    private string _rulesPath = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await HttpReceiver.StartAsync();
        _rulesPath = Path.Combine(Path.GetTempPath(), $"threadline-alerts-{Guid.NewGuid():n}.json");
        await File.WriteAllTextAsync(_rulesPath, $$"""
            {
              // Comments are allowed.
              "baseUrl": "https://threadline.example.com/",
              "renotifyInterval": "00:10:00",
              "channels": [
                { "name": "hook", "type": "webhook", "url": "{{_receiver.BaseAddress}}hook" },
                { "name": "slack", "type": "slack", "url": "{{_receiver.BaseAddress}}slack/T000/B000/secret" },
                { "name": "mail", "type": "email", "smtpHost": "127.0.0.1", "smtpPort": {{_smtp.Port}}, "from": "threadline@example.com", "to": ["oncall@example.com"] }
              ],
              "rules": [
                { "name": "new issues", "type": "newIssue", "channels": ["hook"] },
                { "name": "regressions", "type": "regression", "channels": ["slack"] },
                { "name": "email errors", "type": "errorRate", "function": "send-email", "threshold": 0.5, "window": "01:00:00", "minInvocations": 5, "channels": ["hook"] },
                { "name": "slow payments", "type": "p95Duration", "function": "payments-api", "threshold": 1000, "window": "01:00:00", "channels": ["mail"] },
                { "name": "spend", "type": "costPerHour", "threshold": 0.0001, "channels": ["hook"] },
                { "name": "vips", "type": "vipAffected", "channels": ["mail"] },
                { "name": "payments route", "type": "entryAffected", "entry": "POST /payments", "channels": ["slack"] },
              ]
            }
            """, Ct);
        _server = await AnalysisServer.StartAsync(time => new AnalysisOptions
        {
            Time = time,
            EvaluationInterval = null,
            AlertRulesPath = _rulesPath,
            UserRule = new ValueRule { Source = ValueSource.Header, Name = "X-User-Id" },
            VipUsers = [PaymentsScenario.Vip],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        await _smtp.DisposeAsync();
        File.Delete(_rulesPath);
    }

    private async Task<Dictionary<string, AlertNotification>> EvaluateAsync()
    {
        var sent = await _server.Module.EvaluateAlertsAsync(Ct);
        Assert.Empty(sent.SelectMany(n => n.Channels.Where(c => !c.Delivered).Select(c => $"{n.Rule} → {c.Channel}: {c.Error}")));
        return sent.ToDictionary(n => n.Rule);
    }

    [Fact]
    public async Task Each_rule_fires_once_per_condition_with_its_impact_line_and_link()
    {
        await _server.SendAsync(PaymentsScenario.Build(T0));
        var issue = (await _server.IssuesOfAsync("send-email"))[0].GetProperty("id").GetString()!;
        var link = $"https://threadline.example.com/issues/{issue}";
        const string Impact = "send-email fails in 4 POST /payments transactions and 2 lunchbot runs; 3 users affected (1 VIP: vip-vera)";
        const string Fault = "SmtpException \"Mailbox unavailable for 'user0@example.com' (request 8800)\"";

        var first = await EvaluateAsync();

        Assert.Equal(["email errors", "new issues", "payments route", "slow payments", "spend", "vips"], first.Keys.Order());
        Assert.Equal($"New issue #{issue} in send-email: System.Net.Mail.{Fault} — {Impact}", first["new issues"].Text);
        Assert.Equal($"Issue #{issue} in send-email now affects VIP user vip-vera: System.Net.Mail.{Fault} — {Impact}", first["vips"].Text);
        Assert.Equal($"Issue #{issue} in send-email now affects POST /payments (4 failed transactions): System.Net.Mail.{Fault} — {Impact}",
            first["payments route"].Text);
        Assert.Equal($"Error rate of send-email is 66.7% (6 of 9 invocations in the last 60 min; threshold 50%); top issue #{issue}: System.Net.Mail.{Fault} — {Impact}",
            first["email errors"].Text);
        Assert.Equal("p95 duration of payments-api is 1500 ms over the last 60 min (6 invocations; threshold 1000 ms)", first["slow payments"].Text);
        // 6 × 0.00002520005 + 9 × 0.0000014500025 + 3 × 0.00000153334 = 0.0001688503225 (see ImpactTests).
        Assert.Equal("Cost of all functions is $0.000169 in the last hour (threshold $0.0001)", first["spend"].Text);
        Assert.Equal(new Uri(link), first["new issues"].Link);
        Assert.Equal(new Uri("https://threadline.example.com/functions/payments-api"), first["slow payments"].Link);

        // What the receivers got: two generic webhooks + spend, Slack text with the link, two e-mails.
        var hooks = _receiver.BodiesAt("/hook").Select(b => JsonDocument.Parse(b).RootElement).ToList();
        Assert.Equal(["email errors", "new issues", "spend"], hooks.Select(h => h.GetProperty("rule").GetString()).Order());
        var newIssueHook = hooks.Single(h => h.GetProperty("type").GetString() == "newIssue");
        Assert.Equal(first["new issues"].Text, newIssueHook.GetProperty("text").GetString());
        Assert.Equal(link, newIssueHook.GetProperty("link").GetString());
        Assert.Equal(issue, newIssueHook.GetProperty("issueId").GetString());
        var slack = Assert.Single(_receiver.BodiesAt("/slack/T000/B000/secret"));
        Assert.Equal($"{first["payments route"].Text} {link}", JsonDocument.Parse(slack).RootElement.GetProperty("text").GetString());
        Assert.Single(JsonDocument.Parse(slack).RootElement.EnumerateObject());
        var mails = _smtp.Messages.ToList();
        Assert.Equal(2, mails.Count);
        var vipMail = Assert.Single(mails, m => m.Subject!.Contains("VIP user vip-vera", StringComparison.Ordinal));
        Assert.StartsWith($"[Threadline] Issue #{issue} in send-email now affects VIP user vip-vera", vipMail.Subject);
        Assert.Equal(["oncall@example.com"], vipMail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal($"{first["vips"].Text}\n\n{link}\n", vipMail.TextBody!.ReplaceLineEndings("\n"));

        // Nothing holds anew: nothing is sent again.
        Assert.Empty(await EvaluateAsync());
        Assert.Equal(4, _receiver.Received.Count);
        Assert.Equal(2, _smtp.Messages.Count);

        // After the re-notify interval, the thresholds still crossed are notified once more; the events are not.
        _server.Time.Advance(TimeSpan.FromMinutes(10));
        var renotified = await EvaluateAsync();
        Assert.Equal(["email errors", "slow payments", "spend"], renotified.Keys.Order());
        Assert.All(renotified.Values, n => Assert.True(n.Renotification));
        Assert.StartsWith("Still: Error rate of send-email", renotified["email errors"].Text);
        Assert.Empty(await EvaluateAsync());

        // Resolved, then back: one regression to Slack, nothing else.
        Assert.Equal("resolved", (await _server.PostAsync($"/api/issues/{issue}/resolve")).Body.GetProperty("state").GetString());
        _server.Time.Advance(TimeSpan.FromMinutes(1));
        await _server.SendAsync(PaymentsScenario.SendEmail.Invoke(_server.Time.GetUtcNow().AddSeconds(-5), 300)
            .Throws("System.Net.Mail.SmtpException", "Mailbox unavailable for 'zed@example.com' (request 1)", PaymentsScenario.Stack(99)));
        // A regression is notified once its failure is AlertSettleTime (10 s) old, so its transactions' spans are in.
        Assert.Empty(await EvaluateAsync());
        _server.Time.Advance(TimeSpan.FromSeconds(10));
        var regression = Assert.Single(await EvaluateAsync());
        Assert.Equal("regressions", regression.Key);
        Assert.StartsWith($"Regression of issue #{issue} in send-email (resolved 2026-11-20 09:10:00Z, back at 2026-11-20 09:10:55Z): System.Net.Mail.{Fault}",
            regression.Value.Text);
        Assert.Equal(2, _receiver.BodiesAt("/slack/T000/B000/secret").Count);
        Assert.Empty(await EvaluateAsync());
    }

    [Fact]
    public async Task A_threshold_that_clears_and_returns_fires_again()
    {
        await _server.SendAsync(PaymentsScenario.Build(T0));
        Assert.Contains("email errors", (await EvaluateAsync()).Keys);

        // An hour later the window holds only healthy invocations: the condition clears.
        _server.Time.Advance(TimeSpan.FromMinutes(61));
        var healthy = Enumerable.Range(0, 6).Select(i => PaymentsScenario.SendEmail.Invoke(_server.Time.GetUtcNow().AddMinutes(-10 + i), 300)).ToArray();
        await _server.SendAsync(healthy);
        var cleared = await EvaluateAsync();
        Assert.True(cleared["email errors"].Resolution);
        Assert.Equal("Resolved: Error rate of send-email is under 50% (last 60 min)", cleared["email errors"].Text);
        Assert.Contains(_receiver.BodiesAt("/hook").Select(b => JsonDocument.Parse(b).RootElement),
            h => h.GetProperty("resolution").GetBoolean() && h.GetProperty("rule").GetString() == "email errors");
        Assert.Empty(await EvaluateAsync());

        var failing = Enumerable.Range(0, 8).Select(i => PaymentsScenario.SendEmail.Invoke(_server.Time.GetUtcNow().AddMinutes(-3).AddSeconds(i), 300)
            .Throws("System.Net.Mail.SmtpException", $"Mailbox unavailable for 'x{i}@example.com' (request {i})", PaymentsScenario.Stack(1))).ToArray();
        await _server.SendAsync(failing);
        var again = await EvaluateAsync();
        Assert.StartsWith("Error rate of send-email is 57.1% (8 of 14 invocations in the last 60 min; threshold 50%); top issue #",
            again["email errors"].Text);
        Assert.False(again["email errors"].Renotification);
    }

    [Fact]
    public async Task The_rules_and_recent_notifications_are_shown_by_the_api_without_secrets()
    {
        var rules = await _server.GetAsync("/api/alerts/rules");
        Assert.Equal(_rulesPath, rules.GetProperty("path").GetString());
        Assert.Equal(7, rules.GetProperty("rules").GetArrayLength());
        Assert.Equal("newIssue", rules.GetProperty("rules")[0].GetProperty("type").GetString());
        Assert.Equal("POST /payments", rules.GetProperty("rules")[6].GetProperty("entry").GetString());
        Assert.All(rules.GetProperty("rules").EnumerateArray(), r => Assert.True(r.GetProperty("readOnly").GetBoolean()));
        Assert.Equal("file:new issues", rules.GetProperty("rules")[0].GetProperty("id").GetString());
        var channels = await _server.GetAsync("/api/alerts/channels");
        var slack = channels.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "slack");
        Assert.Equal("slack", slack.GetProperty("type").GetString());
        Assert.DoesNotContain("secret", slack.GetRawText());
        Assert.True(slack.GetProperty("urlSet").GetBoolean());

        await _server.SendAsync(PaymentsScenario.Build(T0));
        await EvaluateAsync();
        var recent = (await _server.GetAsync("/api/alerts/notifications")).EnumerateArray().ToList();
        Assert.Equal(6, recent.Count);
        Assert.All(recent, n => Assert.All(n.GetProperty("channels").EnumerateArray(), c => Assert.True(c.GetProperty("delivered").GetBoolean())));
    }

    [Fact]
    public async Task A_malformed_rule_file_fails_the_start_with_every_problem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"threadline-alerts-{Guid.NewGuid():n}.json");
        var data = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        await File.WriteAllTextAsync(path, """
            { "channels": [ { "name": "hook", "type": "webhook", "url": "not a url" } ],
              "rules": [ { "name": "r", "type": "errorRate", "channels": ["nope"] } ] }
            """, Ct);
        try
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => AnalysisServer.StartAsync(time => new AnalysisOptions
            {
                Time = time,
                EvaluationInterval = null,
                AlertRulesPath = path,
            }, data));
            Assert.Contains("Channel 'hook': url must be an absolute URL.", error.Message);
            Assert.Contains("Rule 'r': no channel 'nope'.", error.Message);
            Assert.Contains("Rule 'r': a positive threshold is required for ErrorRate.", error.Message);
        }
        finally
        {
            File.Delete(path);
            Directory.Delete(data, recursive: true);
        }
    }
}
