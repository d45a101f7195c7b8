using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Threadline.Analysis.Alerts.Management;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>
/// The Alerts page's forms (creating, editing, validating and deleting a rule and a channel; mute), muting and snoozing
/// an issue's alerts on its page, and the notification bell in the header, on the shared demo run (whose rule file provisions read-only rules).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AlertPagesTests(WebRun run)
{
    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Types into a form field and leaves it, as a user does (Blazor's bindings update on change).</summary>
    private static async Task TypeAsync(ILocator form, string field, string value)
    {
        var input = form.Locator($"[name={field}]");
        await input.FillAsync(value);
        await input.DispatchEventAsync("change");
    }

    private async Task<IPage> AlertsPageAsync()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync("/alerts");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("alert-rules")).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task A_channel_is_created_with_its_problems_shown_inline_then_edited_tested_and_deleted()
    {
        var page = await AlertsPageAsync();
        var channels = page.GetByTestId("alert-channels");

        await page.GetByTestId("new-channel").ClickAsync();
        var form = page.GetByTestId("channel-form");
        await form.Locator("[name=type]").SelectOptionAsync("email");
        await TypeAsync(form, "smtpPort", "twenty-five");
        await TypeAsync(form, "to", "oncall@example.com, nobody");
        await page.GetByTestId("save-channel").ClickAsync();

        await Expect(page.GetByTestId("channel-form-error")).ToHaveTextAsync("The channel has 5 problems.");
        await Expect(form.GetByTestId("error-name")).ToHaveTextAsync("name is required: what the channel is called.");
        await Expect(form.GetByTestId("error-smtpPort")).ToHaveTextAsync("'twenty-five' is not a port number.");
        await Expect(form.GetByTestId("error-to")).ToHaveTextAsync(["'nobody' is not an e-mail address."]);
        await WebRun.ScreenshotAsync(page, "alerts-channel-invalid");

        await form.Locator("[name=type]").SelectOptionAsync("slack");
        await TypeAsync(form, "name", "team slack");
        await TypeAsync(form, "url", "http://127.0.0.1:9/services/T0/B0/browser-secret");
        await page.GetByTestId("save-channel").ClickAsync();
        var row = channels.Locator("tr", new() { HasText = "team slack" });
        await Expect(row).ToContainTextAsync("http://127.0.0.1:9/…");
        await Expect(page.GetByTestId("channel-form")).ToHaveCountAsync(0);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("browser-secret");

        // Edit: the URL field stays empty (write-only) and keeps the stored URL.
        await Button(page, "Edit channel team slack").ClickAsync();
        await Expect(form.Locator("[name=url]")).ToHaveValueAsync("");
        await TypeAsync(form, "name", "team slack (ops)");
        await page.GetByTestId("save-channel").ClickAsync();
        row = channels.Locator("tr", new() { HasText = "team slack (ops)" });
        await Expect(row).ToContainTextAsync("http://127.0.0.1:9/…");

        await Button(page, "Send a test to team slack (ops)").ClickAsync();
        await Expect(row.GetByTestId("test-result")).ToContainTextAsync("Test failed: HttpRequestException");
        await Expect(row.GetByTestId("test-result")).Not.ToContainTextAsync("browser-secret");
        await WebRun.ScreenshotAsync(page, "alerts-channel");

        await Button(page, "Delete channel team slack (ops)").ClickAsync();
        await Expect(channels.Locator("tr", new() { HasText = "team slack" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_rule_is_created_with_its_problems_shown_inline_then_edited_muted_and_deleted_and_the_file_rules_stay_read_only()
    {
        var page = await AlertsPageAsync();
        var rules = page.GetByTestId("alert-rules");
        var fileRule = rules.Locator("tr", new() { HasText = "new issues" });
        await Expect(fileRule).ToContainTextAsync("rule file");
        await Expect(Button(page, "Edit rule new issues")).ToHaveCountAsync(0);

        await page.GetByTestId("new-rule").ClickAsync();
        var form = page.GetByTestId("rule-form");
        await form.Locator("[name=type]").SelectOptionAsync("errorRate");
        await TypeAsync(form, "threshold", "a lot");
        await TypeAsync(form, "window", "0");
        await page.GetByTestId("save-rule").ClickAsync();

        await Expect(page.GetByTestId("rule-form-error")).ToHaveTextAsync("The rule has 3 problems.");
        await Expect(form.GetByTestId("error-name")).ToHaveTextAsync("name is required: what the rule is called.");
        await Expect(form.GetByTestId("error-threshold")).ToHaveTextAsync("'a lot' is not a number.");
        await Expect(form.GetByTestId("error-window")).ToHaveTextAsync("The window must be above 0 and at most 1440 minutes.");
        await WebRun.ScreenshotAsync(page, "alerts-rule-invalid");

        await TypeAsync(form, "name", "send-email errors");
        await TypeAsync(form, "function", "send-email");
        await TypeAsync(form, "threshold", "0.2");
        await TypeAsync(form, "window", "10");
        await form.GetByLabel("ops", new() { Exact = true }).CheckAsync();
        await page.GetByTestId("save-rule").ClickAsync();
        var row = rules.Locator("tr", new() { HasText = "send-email errors" });
        await Expect(row).ToContainTextAsync("errors ≥ 20% over 00:10:00 (at least 1 invocations)");
        await Expect(row).ToContainTextAsync("ops");

        await Button(page, "Edit rule send-email errors").ClickAsync();
        await Expect(form.Locator("[name=threshold]")).ToHaveValueAsync("0.2");
        await TypeAsync(form, "threshold", "0.3");
        await page.GetByTestId("save-rule").ClickAsync();
        await Expect(row).ToContainTextAsync("errors ≥ 30% over 00:10:00");

        await Button(page, "Mute rule send-email errors").ClickAsync();
        await Expect(row).ToContainTextAsync("muted");
        await Button(page, "Unmute rule send-email errors").ClickAsync();
        await Expect(row).ToContainTextAsync("active");
        await WebRun.ScreenshotAsync(page, "alerts-rules");

        await Button(page, "Delete rule send-email errors").ClickAsync();
        await Expect(rules.Locator("tr", new() { HasText = "send-email errors" })).ToHaveCountAsync(0);
    }

    /// <summary>The silences in force, as the API lists them.</summary>
    private async Task<List<SilenceView>> SilencesAsync()
    {
        using var http = new HttpClient { BaseAddress = run.BaseAddress };
        return await http.GetFromJsonAsync<List<SilenceView>>("/api/alerts/silences", JsonSerializerOptions.Web, TestContext.Current.CancellationToken) ?? [];
    }

    [Fact]
    public async Task An_issues_alerts_are_muted_and_snoozed_from_its_page_and_the_api_lists_the_silence_until_it_ends()
    {
        var issue = await AnalysisData.SendEmailIssueAsync(run);
        var page = await run.NewPageAsync();
        await page.GotoAsync($"/issues/{issue.Id}");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        var state = page.GetByTestId("issue-silence");
        await Expect(state).ToHaveTextAsync("Alerts: active");

        await Button(page, "Mute alerts for this issue").ClickAsync();
        await Expect(state).ToHaveTextAsync("Alerts: muted");
        await Expect(Button(page, "Unmute alerts for this issue")).ToBeVisibleAsync();
        await Expect(Button(page, "Mute alerts for this issue")).ToHaveCountAsync(0);
        var muted = Assert.Single(await SilencesAsync(), s => s.Target == "issue" && s.Id == issue.Id);
        Assert.True(muted.Muted);
        Assert.Null(muted.SnoozedUntil);
        await WebRun.ScreenshotAsync(page, "issue-muted");

        await Button(page, "Unmute alerts for this issue").ClickAsync();
        await Expect(state).ToHaveTextAsync("Alerts: active");
        Assert.DoesNotContain(await SilencesAsync(), s => s.Target == "issue" && s.Id == issue.Id);

        // A snooze shows until when (as the API has it) and reloads as such; ending it lifts it.
        await Button(page, "Snooze alerts for this issue for an hour").ClickAsync();
        await Expect(state).ToContainTextAsync("Alerts: snoozed until");
        var snoozed = Assert.Single(await SilencesAsync(), s => s.Target == "issue" && s.Id == issue.Id);
        Assert.False(snoozed.Muted);
        Assert.NotNull(snoozed.SnoozedUntil);
        await page.ReloadAsync();
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Expect(state).ToHaveTextAsync($"Alerts: snoozed until {snoozed.SnoozedUntil.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        await Button(page, "End snooze of alerts for this issue").ClickAsync();
        await Expect(state).ToHaveTextAsync("Alerts: active");
        Assert.DoesNotContain(await SilencesAsync(), s => s.Target == "issue" && s.Id == issue.Id);
    }

    [Fact]
    public async Task The_bell_in_the_header_counts_unread_notifications_lists_them_and_marks_them_read()
    {
        var queries = AnalysisData.Queries(run);
        await AnalysisData.PollAsync(() => queries.Notifications().Count > 0, () => "no notification yet");
        var page = await run.NewPageAsync();
        await page.GotoAsync("/issues");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        await Expect(page.GetByTestId("bell-count")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        var latest = queries.Notifications()[0].Text;
        await page.GetByTestId("bell").ClickAsync();
        var panel = page.GetByTestId("bell-panel");
        // The latest notifications of every rule, latest first: the one the query service had as latest before the
        // panel opened is among them (newer ones may have arrived since).
        await Expect(panel.Locator("li").Filter(new() { HasText = latest })).Not.ToHaveCountAsync(0);
        await WebRun.ScreenshotAsync(page, "bell");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Mark all read" }).ClickAsync();

        await Expect(page.GetByTestId("bell-count")).ToHaveCountAsync(0);
        await panel.GetByRole(AriaRole.Link, new() { Name = "All notifications" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/alerts#notifications$"));
        await Expect(page.GetByTestId("notifications").Locator("tbody tr").First).ToBeVisibleAsync();
    }
}
