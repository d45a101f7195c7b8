using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Threadline.Demo.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>The Explore page on the demo's data (issue 16): type a query, pick an autocomplete value, refine by a facet,
/// open a result; the query lives in the URL.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ExplorePageTests(WebRun run)
{
    [Fact]
    public async Task Type_a_query_pick_a_value_click_a_facet_and_open_a_result()
    {
        var queries = AnalysisData.Queries(run);
        await AnalysisData.PollAsync(() => queries.Functions(null, null).Any(f => f.Function == DemoNames.SendEmail && f.Errors > 0),
            () => "send-email not failed yet");
        // The search index follows the analysis a moment behind.
        var search = run.Server.Services.GetRequiredService<Threadline.Analysis.Search.SearchQueries>();
        var failedEmails = Threadline.Query.Parsing.QueryParser.Parse($"function:{DemoNames.SendEmail} status:error");
        await AnalysisData.PollAsync(() => search.SearchAsync(failedEmails, long.MinValue, long.MaxValue, 1, null, false, TestContext.Current.CancellationToken).GetAwaiter().GetResult().Total > 0,
            () => "no failed send-email invocation in the search index yet");
        var page = await run.NewPageAsync();
        await page.GotoAsync("/explore");
        // The first search of the page runs over the whole day while the demo is still sending: allow it time.
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await Expect(page.GetByTestId("summary")).ToContainTextAsync("invocations", new() { Timeout = 30_000 });
        var box = page.GetByRole(AriaRole.Searchbox, new() { Name = "Query" });
        await box.PressSequentiallyAsync("function:send");
        var option = page.GetByTestId("suggestions").GetByRole(AriaRole.Option).Filter(new() { HasText = DemoNames.SendEmail });
        await Expect(option).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await option.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(box).ToHaveValueAsync($"function:{DemoNames.SendEmail}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/explore?q={Uri.EscapeDataString($"function:{DemoNames.SendEmail}")}").AbsoluteUri);
        var rows = page.GetByTestId("results").Locator("tbody tr");
        await Expect(rows.First).ToContainTextAsync(DemoNames.SendEmail);
        await Expect(page.GetByTestId("histogram")).ToHaveAttributeAsync("aria-label", new Regex("Matches over time: [1-9]"));
        await WebRun.ScreenshotAsync(page, "explore");

        await page.GetByTestId("facets").Locator("a[data-facet=status]", new() { HasText = "error" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(new Uri(run.BaseAddress, $"/explore?q={Uri.EscapeDataString($"function:{DemoNames.SendEmail} status:error")}").AbsoluteUri) + "$"));
        await Expect(rows.First).ToHaveClassAsync("failed");
        Assert.Equal(await rows.CountAsync(), await rows.Locator("xpath=self::*[contains(@class,'failed')]").CountAsync());

        await rows.First.GetByRole(AriaRole.Link, new() { Name = DemoNames.SendEmail }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/transactions/[0-9a-f]{32}-[0-9a-f]{16}\?invocation=[0-9a-f]{32}-[0-9a-f]{16}$"));
    }

    [Fact]
    public async Task A_malformed_query_in_the_url_says_where_and_what_was_expected()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync("/explore?q=" + Uri.EscapeDataString("status:error AND"));
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("query-error")).ToHaveTextAsync("position 17: expected a term after AND; got end of query");
    }
}
