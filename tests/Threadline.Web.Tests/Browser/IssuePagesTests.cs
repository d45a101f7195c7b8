using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>The issues list and an issue's page, on the demo's send-email failures.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IssuePagesTests(WebRun run)
{
    [Fact]
    public async Task The_send_email_issue_shows_its_impact_and_a_vip_user_resolves_and_a_sample_opens_the_transaction()
    {
        var issue = await AnalysisData.SendEmailIssueAsync(run);
        var page = await run.NewPageAsync();

        await page.GotoAsync("/issues?function=send-email");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await WebRun.ScreenshotAsync(page, "issues");
        await page.Locator($"a[href='/issues/{issue.Id}']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/issues/{issue.Id}").ToString());
        var payments = issue.Impact.Single(e => e.Entry == "POST /payments");
        await Expect(page.GetByTestId("impact")).ToContainTextAsync($"send-email fails in {payments.FailedTransactions} POST /payments transaction");
        var exposure = page.GetByTestId("exposure");
        await Expect(exposure.Locator("li.vip").First).ToContainTextAsync(issue.Exposure.VipUsers[0]);
        await Expect(exposure.Locator("li.vip .vip-badge").First).ToHaveTextAsync("VIP");
        await Expect(page.GetByTestId("issue-timeline").Locator("canvas")).ToHaveAttributeAsync("data-rendered", new System.Text.RegularExpressions.Regex("^[1-9]"));
        await WebRun.ScreenshotAsync(page, "issue-send-email");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("resolved");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Resolved at" })).ToBeVisibleAsync();

        var sample = issue.Samples.First(s => s.TransactionId is not null);
        await page.Locator($"a[href='/transactions/{sample.TransactionId}?invocation={sample.InvocationId}']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/transactions/{sample.TransactionId}?invocation={sample.InvocationId}").ToString());
        await Expect(page.GetByTestId("deep-dive")).ToContainTextAsync("send-email");
    }

    [Fact]
    public async Task An_unknown_issue_and_a_bad_state_filter_have_designed_states()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync("/issues/000000000000");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No such issue" })).ToBeVisibleAsync();
        await page.GotoAsync("/issues?state=sleeping");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The issues could not be read" })).ToBeVisibleAsync();
    }
}
