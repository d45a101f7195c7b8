using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>The transaction list's live refresh.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ListTests(WebRun run)
{
    [Fact]
    public async Task With_live_refresh_on_a_transaction_that_arrives_appears_without_reloading()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync("/?q=late-arrival");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No transactions" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Switch, new() { Name = "Live refresh" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Live refresh" })).ToBeCheckedAsync();
        var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        await run.SendTracesAsync(ScriptProbe.TraceJson(now, "late-arrival", "0c0ffee00000000000000000000000aa", "0c0ffee0000000aa", "req-late-arrival"),
            TestContext.Current.CancellationToken);

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "late-arrival" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await WebRun.ScreenshotAsync(page, "transactions-live");
    }
}
