using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Threadline.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>The system map and its click-through to the transaction list, the trace view, and the list's function filter and cost column.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MapAndTraceTests(WebRun run)
{
    [Fact]
    public async Task The_map_shows_the_queue_edge_and_following_it_lists_only_transactions_that_crossed_it()
    {
        await DemoData.FailedPaymentAsync(run);
        var page = await run.NewPageAsync();

        await page.GotoAsync("/map");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("map")).ToHaveAttributeAsync("data-node-count", new Regex("^[1-9]"));
        var edge = page.GetByTestId("map-edges").Locator("tbody tr").Filter(new() { HasText = "payments-queue" }).Filter(new() { HasText = "notify" });
        await Expect(edge).ToHaveCountAsync(1);
        await Expect(edge).ToContainTextAsync("async");
        await WebRun.ScreenshotAsync(page, "map");
        await edge.GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("edge=sqs%3Apayments-queue%7Cfunction%3Anotify"));
        await Expect(page.GetByTestId("crossing-filter")).ToContainTextAsync("sqs:payments-queue → function:notify");
        var rows = page.Locator("table.transactions tbody tr");
        await Expect(rows.First).ToContainTextAsync("POST /payments → process-payment");
        Assert.DoesNotContain("lunchbot", await page.Locator("table.transactions tbody").InnerTextAsync(), StringComparison.Ordinal);
        await WebRun.ScreenshotAsync(page, "transactions-crossing-edge");
    }

    [Fact]
    public async Task A_trace_id_in_the_search_box_opens_the_trace_view_with_its_spans_and_transaction()
    {
        var (transaction, mail) = await DemoData.FailedPaymentAsync(run);
        var traceId = TelemetryIds.FormatTraceId(mail.TraceId);
        var page = await run.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search by transaction, trace, request or message id" });
        await search.FillAsync(traceId);
        await search.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/traces/{traceId}").ToString());
        await Expect(page.GetByTestId("timeline").GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("send-email");
        await Expect(page.GetByTestId("trace-transactions")).ToContainTextAsync(transaction.Id);
        await WebRun.ScreenshotAsync(page, "trace");
    }

    [Fact]
    public async Task The_list_filters_by_function_and_shows_each_transactions_cost()
    {
        var (transaction, _) = await DemoData.FailedPaymentAsync(run);
        var page = await run.NewPageAsync();

        await page.GotoAsync($"/?function=send-email&q={transaction.Id}");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        var row = page.Locator("table.transactions tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        var cost = AnalysisData.Queries(run).TransactionCosts([transaction.Id])[transaction.Id];
        Assert.True(cost > 0);
        await Expect(row.Locator("td").Last).ToHaveTextAsync(new Regex(@"^\$0\.0+[1-9]"));

        await page.GotoAsync($"/?function=fraud-check-nonexistent&q={transaction.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No transactions" })).ToBeVisibleAsync();
    }
}
