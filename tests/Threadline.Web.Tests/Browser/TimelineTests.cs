using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>A transaction of 10,000 spans: the timeline renders only what is visible and scrolls to the last span.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TimelineTests(WebRun run)
{
    [Fact]
    public async Task A_transaction_of_ten_thousand_spans_renders_a_window_of_rows_and_scrolls_to_the_last_span()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync($"/transactions/{LargeTransaction.TransactionId}");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        var timeline = page.GetByTestId("timeline");
        await Expect(timeline).ToHaveAttributeAsync("aria-label", $"Timeline: {LargeTransaction.ChildSpans + 1} spans");
        await Expect(timeline.Locator($"[data-span='{LargeTransaction.ChildSpanId(0)}']")).ToBeVisibleAsync();
        var rendered = await timeline.Locator(".row").CountAsync();
        Assert.InRange(rendered, 1, 200);

        var last = timeline.Locator($"[data-span='{LargeTransaction.ChildSpanId(LargeTransaction.ChildSpans - 1)}']");
        await Expect(last).ToHaveCountAsync(0);
        await timeline.EvaluateAsync("element => element.scrollTop = element.scrollHeight");
        await Expect(last).ToBeVisibleAsync();
        Assert.InRange(await timeline.Locator(".row").CountAsync(), 1, 200);
        await WebRun.ScreenshotAsync(page, "transaction-10000-spans");
    }
}
