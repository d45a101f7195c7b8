using System.Net;
using System.Text.Json;
using Threadline.Analysis.Alerts;
using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Tests;

/// <summary>
/// Alert rules and channels managed through the API on a new installation (default rules, kept in the store):
/// creating, editing, validating and deleting; notifications into a real local HTTP receiver (webhook and Slack
/// formats) and a real SMTP server (aiosmtpd); the test button; snooze and mute; resolutions; the in-app list; and
/// no channel secret in any answer or log line.
/// </summary>
public sealed class AlertManagementTests : IAsyncLifetime
{
    private const string SlackSecret = "T0SECRET/B0SECRET/xoxb-slack-secret-token";
    private const string SmtpPassword = "smtp-pa55word-never-shown";
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;
    private readonly LogCapture _logs = new();
    private HttpReceiver _receiver = null!;
    private AnalysisServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await HttpReceiver.StartAsync();
        _server = await AnalysisServer.StartAsync(time => new AnalysisOptions
        {
            Time = time,
            EvaluationInterval = null,
            UserRule = new ValueRule { Source = ValueSource.Header, Name = "X-User-Id" },
            VipUsers = [PaymentsScenario.Vip],
            BaseUrl = new Uri("https://threadline.example.com/"),
        }, extra: _logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, object? body = null) =>
        _server.SendJsonAsync(method, path, body);

    private async Task<string> CreateAsync(string path, object body)
    {
        var (status, created) = await Send(HttpMethod.Post, path, body);
        Assert.True(status == HttpStatusCode.Created, $"{path}: {(int)status} {created}");
        return created.GetProperty("id").GetString()!;
    }

    private async Task<List<AlertNotification>> EvaluateAsync() => [.. await _server.Module.EvaluateAlertsAsync(Ct)];

    [Fact]
    public async Task A_new_installation_has_the_three_default_rules_editable_in_the_store()
    {
        var rules = (await _server.GetAsync("/api/alerts/rules")).GetProperty("rules").EnumerateArray().ToList();

        Assert.Equal(["Cost spike", "Error rate over 10%", "New or regressed issue"], rules.Select(r => r.GetProperty("name").GetString()).Order());
        Assert.All(rules, r => Assert.Equal(("store", false, true, 0), (r.GetProperty("source").GetString(), r.GetProperty("readOnly").GetBoolean(),
            r.GetProperty("default").GetBoolean(), r.GetProperty("channels").GetArrayLength())));
        var errorRate = rules.Single(r => r.GetProperty("type").GetString() == "errorRate");
        Assert.Equal((0.1, "00:05:00", 10), (errorRate.GetProperty("threshold").GetDouble(), errorRate.GetProperty("window").GetString(),
            errorRate.GetProperty("minInvocations").GetInt32()));

        var (status, edited) = await Send(HttpMethod.Put, "/api/alerts/rules/default-error-rate", new
        {
            name = "Error rate over 25%", type = "errorRate", threshold = 0.25, window = "00:10:00", minInvocations = 3, version = 1,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0.25, 2L), (edited.GetProperty("threshold").GetDouble(), edited.GetProperty("version").GetInt64()));
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "/api/alerts/rules/default-cost-spike")).Status);
        Assert.Equal(2, (await _server.GetAsync("/api/alerts/rules")).GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task Rules_are_created_edited_validated_with_every_problem_at_once_and_deleted()
    {
        var hook = await CreateAsync("/api/alerts/channels", new { name = "ops hook", type = "webhook", url = $"{_receiver.BaseAddress}hook" });

        var (invalid, problems) = await Send(HttpMethod.Post, "/api/alerts/rules", new
        {
            name = "", type = "errorRate", threshold = 1.5, window = "five minutes", minInvocations = 0, channels = new[] { hook, "nope" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Equal("The rule has 5 problems.", problems.GetProperty("error").GetString());
        Assert.Equal(["channels[1]", "minInvocations", "name", "threshold", "window"],
            problems.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order());
        var (badType, typeProblems) = await Send(HttpMethod.Post, "/api/alerts/rules", new { name = "x", type = "sometimes" });
        Assert.Equal(HttpStatusCode.BadRequest, badType);
        Assert.Contains("'sometimes' is not one of newIssue, regression, newOrRegressedIssue", typeProblems.GetProperty("errors")[0].GetProperty("message").GetString());

        using var malformed = new StringContent("""{"name": "x", "type": "errorRate", "threshold": "a lot"}""", System.Text.Encoding.UTF8, "application/json");
        using var malformedResponse = await _server.Api.PostAsync("/api/alerts/rules", malformed, Ct);
        var malformedBody = JsonDocument.Parse(await malformedResponse.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, malformedResponse.StatusCode);
        Assert.Equal(("The rule is not JSON of the expected shape.", "threshold"), (malformedBody.GetProperty("error").GetString(),
            malformedBody.GetProperty("errors")[0].GetProperty("field").GetString()));

        var id = await CreateAsync("/api/alerts/rules", new { name = "slow sends", type = "p95Duration", function = "send-email", threshold = 200, window = "00:30:00", channels = new[] { hook } });
        var rule = await _server.GetAsync($"/api/alerts/rules/{id}");
        Assert.Equal(("slow sends", "p95Duration", "send-email", 200.0, "00:30:00", 1L), (rule.GetProperty("name").GetString(), rule.GetProperty("type").GetString(),
            rule.GetProperty("function").GetString(), rule.GetProperty("threshold").GetDouble(), rule.GetProperty("window").GetString(), rule.GetProperty("version").GetInt64()));
        var (duplicate, duplicateProblems) = await Send(HttpMethod.Post, "/api/alerts/rules", new { name = "SLOW SENDS", type = "newIssue" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate);
        Assert.Equal("Another rule is called 'SLOW SENDS'.", duplicateProblems.GetProperty("errors")[0].GetProperty("message").GetString());

        var (edited, after) = await Send(HttpMethod.Put, $"/api/alerts/rules/{id}", new { name = "slow sends", type = "p95Duration", function = "send-email", threshold = 500, channels = Array.Empty<string>(), version = 1 });
        Assert.Equal(HttpStatusCode.OK, edited);
        Assert.Equal((500.0, 0), (after.GetProperty("threshold").GetDouble(), after.GetProperty("channels").GetArrayLength()));
        var (stale, staleError) = await Send(HttpMethod.Put, $"/api/alerts/rules/{id}", new { name = "lost edit", type = "newIssue", version = 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale);
        Assert.Contains("changed by someone else", staleError.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Put, "/api/alerts/rules/r-missing", new { name = "x", type = "newIssue" })).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, $"/api/alerts/rules/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, $"/api/alerts/rules/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/alerts/rules/{id}")).Status);
    }

    [Fact]
    public async Task Channels_are_created_edited_validated_and_deleted_and_their_secrets_are_write_only()
    {
        var (invalid, problems) = await Send(HttpMethod.Post, "/api/alerts/channels", new
        {
            name = "mail", type = "email", smtpPort = 70000, from = "not an address", to = new[] { "oncall@example.com", "nobody" }, password = SmtpPassword,
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Equal(["from", "smtpHost", "smtpPort", "to[1]", "userName"], problems.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order());
        var (badUrl, urlProblems) = await Send(HttpMethod.Post, "/api/alerts/channels", new { name = "s", type = "slack", url = "ftp://x" });
        Assert.Equal(HttpStatusCode.BadRequest, badUrl);
        Assert.Equal("url", urlProblems.GetProperty("errors")[0].GetProperty("field").GetString());

        var slack = await CreateAsync("/api/alerts/channels", new { name = "team slack", type = "slack", url = $"{_receiver.BaseAddress}services/{SlackSecret}" });
        var mail = await CreateAsync("/api/alerts/channels", new
        {
            name = "on-call mail", type = "email", smtpHost = "127.0.0.1", smtpPort = 2525, userName = "threadline", password = SmtpPassword,
            from = "threadline@example.com", to = new[] { "oncall@example.com" },
        });
        var listed = await _server.GetAsync("/api/alerts/channels");
        var slackAnswer = listed.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("id").GetString() == slack);
        Assert.Equal($"http://{_receiver.BaseAddress.Authority}/…", slackAnswer.GetProperty("target").GetString());
        Assert.True(slackAnswer.GetProperty("urlSet").GetBoolean());
        Assert.False(slackAnswer.TryGetProperty("url", out _));
        var mailAnswer = await _server.GetAsync($"/api/alerts/channels/{mail}");
        Assert.True(mailAnswer.GetProperty("passwordSet").GetBoolean());
        Assert.False(mailAnswer.TryGetProperty("password", out _));

        // An edit that leaves the write-only fields out keeps them; an empty password removes it.
        var (kept, keptAnswer) = await Send(HttpMethod.Put, $"/api/alerts/channels/{slack}", new { name = "team slack (renamed)", type = "slack" });
        Assert.Equal(HttpStatusCode.OK, kept);
        Assert.True(keptAnswer.GetProperty("urlSet").GetBoolean());
        var (_, cleared) = await Send(HttpMethod.Put, $"/api/alerts/channels/{mail}", new
        {
            name = "on-call mail", type = "email", smtpHost = "127.0.0.1", smtpPort = 2525, password = "", from = "threadline@example.com", to = new[] { "oncall@example.com" },
        });
        Assert.False(cleared.GetProperty("passwordSet").GetBoolean());

        // A channel in use cannot go; once no rule uses it, it can.
        var rule = await CreateAsync("/api/alerts/rules", new { name = "to slack", type = "newIssue", channels = new[] { slack } });
        var (inUse, inUseError) = await Send(HttpMethod.Delete, $"/api/alerts/channels/{slack}");
        Assert.Equal(HttpStatusCode.Conflict, inUse);
        Assert.Contains("'to slack'", inUseError.GetProperty("error").GetString());
        await Send(HttpMethod.Delete, $"/api/alerts/rules/{rule}");
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, $"/api/alerts/channels/{slack}")).Status);
        Assert.DoesNotContain(slack, (await _server.GetAsync("/api/alerts/channels")).GetRawText());
    }

    [Fact]
    public async Task A_rule_fires_into_a_real_webhook_a_slack_webhook_and_a_real_smtp_server_with_the_impact_and_the_link()
    {
        await using var smtp = await RealSmtpServer.StartAsync(Ct);
        var hook = await CreateAsync("/api/alerts/channels", new { name = "hook", type = "webhook", url = $"{_receiver.BaseAddress}hook" });
        var slack = await CreateAsync("/api/alerts/channels", new { name = "slack", type = "slack", url = $"{_receiver.BaseAddress}services/{SlackSecret}" });
        var mail = await CreateAsync("/api/alerts/channels", new
        {
            name = "mail", type = "email", smtpHost = "127.0.0.1", smtpPort = smtp.Port, from = "threadline@example.com", to = new[] { "oncall@example.com" },
        });
        // The default "new or regressed issue" rule notifies these channels too.
        var (status, _) = await Send(HttpMethod.Put, "/api/alerts/rules/default-new-or-regressed-issue",
            new { name = "New or regressed issue", type = "newOrRegressedIssue", channels = new[] { hook, slack, mail } });
        Assert.Equal(HttpStatusCode.OK, status);

        await _server.SendAsync(PaymentsScenario.Build(T0));
        var issue = (await _server.IssuesOfAsync("send-email"))[0].GetProperty("id").GetString()!;
        const string Impact = "send-email fails in 4 POST /payments transactions and 2 lunchbot runs; 3 users affected (1 VIP: vip-vera)";
        var sent = Assert.Single(await EvaluateAsync(), n => n.IssueId == issue);

        Assert.Equal("New or regressed issue", sent.Rule);
        Assert.EndsWith(" — " + Impact, sent.Text);
        Assert.Equal(new Uri($"https://threadline.example.com/issues/{issue}"), sent.Link);
        Assert.All(sent.Channels, c => Assert.True(c.Delivered, $"{c.Channel}: {c.Error}"));
        var webhook = JsonDocument.Parse(Assert.Single(_receiver.BodiesAt("/hook"), b => b.Contains(issue, StringComparison.Ordinal))).RootElement;
        Assert.Equal((sent.Text, sent.Link.ToString(), "newOrRegressedIssue", false), (webhook.GetProperty("text").GetString(), webhook.GetProperty("link").GetString(),
            webhook.GetProperty("type").GetString(), webhook.GetProperty("resolution").GetBoolean()));
        var slackBody = JsonDocument.Parse(Assert.Single(_receiver.BodiesAt($"/services/{SlackSecret}"), b => b.Contains($"#{issue} ", StringComparison.Ordinal))).RootElement;
        Assert.Equal($"{sent.Text} {sent.Link}", slackBody.GetProperty("text").GetString());
        var message = Assert.Single(await smtp.WaitForAsync(1, Ct), m => m.Subject!.Contains($"#{issue} ", StringComparison.Ordinal));
        Assert.StartsWith($"[Threadline] New issue #{issue} in send-email", message.Subject);
        Assert.Equal(["oncall@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal($"{sent.Text}\n\n{sent.Link}\n", message.TextBody!.ReplaceLineEndings("\n"));

        // The issue is resolved by its owner: each channel hears that, with the impact it had.
        await _server.PostAsync($"/api/issues/{issue}/resolve");
        var resolved = Assert.Single(await EvaluateAsync(), n => n.IssueId == issue);
        Assert.True(resolved.Resolution);
        Assert.StartsWith($"Resolved: issue #{issue} in send-email (System.Net.Mail.SmtpException", resolved.Text);
        Assert.EndsWith($"marked resolved at 2026-11-20 09:00:00Z. It had hit: {Impact}", resolved.Text);
        Assert.All(resolved.Channels, c => Assert.True(c.Delivered, $"{c.Channel}: {c.Error}"));
        Assert.Contains(await smtp.WaitForAsync(2, Ct), m => m.Subject!.StartsWith($"[Threadline] Resolved: issue #{issue}", StringComparison.Ordinal));
        Assert.DoesNotContain(await EvaluateAsync(), n => n.IssueId == issue);
    }

    [Fact]
    public async Task The_test_button_reaches_each_kind_of_channel_and_says_why_when_it_cannot()
    {
        await using var smtp = await RealSmtpServer.StartAsync(Ct);
        var hook = await CreateAsync("/api/alerts/channels", new { name = "hook", type = "webhook", url = $"{_receiver.BaseAddress}hook" });
        var mail = await CreateAsync("/api/alerts/channels", new
        {
            name = "mail", type = "email", smtpHost = "127.0.0.1", smtpPort = smtp.Port, from = "threadline@example.com", to = new[] { "oncall@example.com" },
        });
        var broken = await CreateAsync("/api/alerts/channels", new { name = "broken", type = "slack", url = $"{_receiver.BaseAddress.Scheme}://127.0.0.1:9/services/{SlackSecret}" });

        var (hookStatus, hookOutcome) = await Send(HttpMethod.Post, $"/api/alerts/channels/{hook}/test");
        var (mailStatus, _) = await Send(HttpMethod.Post, $"/api/alerts/channels/{mail}/test");
        var (brokenStatus, brokenError) = await Send(HttpMethod.Post, $"/api/alerts/channels/{broken}/test");

        Assert.Equal((HttpStatusCode.OK, true), (hookStatus, hookOutcome.GetProperty("delivered").GetBoolean()));
        Assert.Equal("Test notification from Threadline to the channel 'hook': it works.",
            JsonDocument.Parse(Assert.Single(_receiver.BodiesAt("/hook"))).RootElement.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.OK, mailStatus);
        Assert.Contains("Test notification", Assert.Single(await smtp.WaitForAsync(1, Ct)).Subject);
        Assert.Equal(HttpStatusCode.BadGateway, brokenStatus);
        Assert.Contains("HttpRequestException", brokenError.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, "/api/alerts/channels/c-missing/test")).Status);
    }

    [Fact]
    public async Task A_muted_rule_and_a_snoozed_issue_send_nothing_until_unmuted_or_the_snooze_ends()
    {
        var hook = await CreateAsync("/api/alerts/channels", new { name = "hook", type = "webhook", url = $"{_receiver.BaseAddress}hook" });
        await Send(HttpMethod.Put, "/api/alerts/rules/default-new-or-regressed-issue", new { name = "New or regressed issue", type = "newOrRegressedIssue", channels = new[] { hook } });
        var (muted, silence) = await Send(HttpMethod.Put, "/api/alerts/rules/default-new-or-regressed-issue/silence", new { mute = true });
        Assert.Equal((HttpStatusCode.OK, true), (muted, silence.GetProperty("muted").GetBoolean()));
        var (invalid, problems) = await Send(HttpMethod.Put, "/api/alerts/rules/default-new-or-regressed-issue/silence", new { mute = true, minutes = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Equal("minutes", problems.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Put, "/api/alerts/rules/r-missing/silence", new { mute = true })).Status);

        await _server.SendAsync(PaymentsScenario.Build(T0));
        var issues = (await _server.GetAsync("/api/issues")).EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        var sendEmail = (await _server.IssuesOfAsync("send-email"))[0].GetProperty("id").GetString()!;
        Assert.DoesNotContain(await EvaluateAsync(), n => n.Rule == "New or regressed issue");
        var rule = await _server.GetAsync("/api/alerts/rules/default-new-or-regressed-issue");
        Assert.True(rule.GetProperty("silence").GetProperty("muted").GetBoolean());

        // Unmuted, with the send-email issue snoozed for 30 minutes: the other issues are notified, not that one.
        var (snoozed, snooze) = await Send(HttpMethod.Put, $"/api/alerts/issues/{sendEmail}/silence", new { minutes = 30 });
        Assert.Equal(HttpStatusCode.OK, snoozed);
        Assert.Equal(T0.AddMinutes(30), snooze.GetProperty("snoozedUntil").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "/api/alerts/rules/default-new-or-regressed-issue/silence")).Status);
        var silences = (await _server.GetAsync("/api/alerts/silences")).EnumerateArray().ToList();
        Assert.Equal(("issue", sendEmail), (Assert.Single(silences).GetProperty("target").GetString(), silences[0].GetProperty("id").GetString()));
        var afterUnmute = (await EvaluateAsync()).Where(n => n.Rule == "New or regressed issue").Select(n => n.IssueId!).ToList();
        Assert.Equal(issues.Where(i => i != sendEmail).Order(), afterUnmute.Order());
        Assert.DoesNotContain(_receiver.BodiesAt("/hook"), b => b.Contains($"#{sendEmail} ", StringComparison.Ordinal));

        // The snooze ends: the send-email issue, still new, is notified once.
        _server.Time.Advance(TimeSpan.FromMinutes(31));
        var afterSnooze = Assert.Single(await EvaluateAsync(), n => n.Rule == "New or regressed issue");
        Assert.Equal(sendEmail, afterSnooze.IssueId);
        Assert.Contains(_receiver.BodiesAt("/hook"), b => b.Contains($"#{sendEmail} ", StringComparison.Ordinal));
        Assert.Empty(await _server.GetAsync("/api/alerts/silences").ContinueWith(t => t.Result.EnumerateArray().ToList(), TaskScheduler.Default));
    }

    [Fact]
    public async Task The_in_app_list_needs_no_channel_and_counts_what_is_unread()
    {
        Assert.Equal(0, (await _server.GetAsync("/api/alerts/notifications/unread")).GetProperty("unread").GetInt32());
        await _server.SendAsync(PaymentsScenario.Build(T0));

        var sent = await EvaluateAsync();

        Assert.NotEmpty(sent);
        Assert.All(sent, n => Assert.Empty(n.Channels));
        var listed = (await _server.GetAsync("/api/alerts/notifications")).EnumerateArray().ToList();
        Assert.Equal(sent.Count, listed.Count);
        Assert.Equal(sent.Count, (await _server.GetAsync("/api/alerts/notifications/unread")).GetProperty("unread").GetInt32());
        var (status, read) = await Send(HttpMethod.Post, "/api/alerts/notifications/read");
        Assert.Equal((HttpStatusCode.OK, 0), (status, read.GetProperty("unread").GetInt32()));
        Assert.Equal(0, (await _server.GetAsync("/api/alerts/notifications/unread")).GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task No_channel_secret_appears_in_any_answer_or_log_line()
    {
        var slack = await CreateAsync("/api/alerts/channels", new { name = "slack", type = "slack", url = $"http://127.0.0.1:9/services/{SlackSecret}" });
        var mail = await CreateAsync("/api/alerts/channels", new
        {
            name = "mail", type = "email", smtpHost = "127.0.0.1", smtpPort = 9, userName = "threadline", password = SmtpPassword,
            from = "threadline@example.com", to = new[] { "oncall@example.com" },
        });
        await Send(HttpMethod.Put, "/api/alerts/rules/default-new-or-regressed-issue", new { name = "New or regressed issue", type = "newOrRegressedIssue", channels = new[] { slack, mail } });
        await _server.SendAsync(PaymentsScenario.Build(T0));

        var sent = await EvaluateAsync();
        var answers = new List<string>
        {
            (await Send(HttpMethod.Post, $"/api/alerts/channels/{slack}/test")).Body.GetRawText(),
            (await Send(HttpMethod.Post, $"/api/alerts/channels/{mail}/test")).Body.GetRawText(),
            (await Send(HttpMethod.Put, $"/api/alerts/channels/{slack}", new { name = "slack", type = "slack" })).Body.GetRawText(),
            (await Send(HttpMethod.Post, "/api/alerts/channels", new { name = "x", type = "email", password = SmtpPassword })).Body.GetRawText(),
        };
        foreach (var path in new[] { "/api/alerts/channels", $"/api/alerts/channels/{slack}", $"/api/alerts/channels/{mail}", "/api/alerts/rules", "/api/alerts/notifications" })
            answers.Add((await _server.GetAsync(path)).GetRawText());

        Assert.Contains(sent, n => n.Channels.Any(c => !c.Delivered)); // the failures were reported, and logged
        Assert.Contains(_logs.Lines, l => l.Contains("channel slack failed", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains("channel mail failed", StringComparison.Ordinal));
        foreach (var secret in new[] { SlackSecret, "xoxb-slack-secret-token", SmtpPassword })
        {
            Assert.DoesNotContain(answers, a => a.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(_logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
