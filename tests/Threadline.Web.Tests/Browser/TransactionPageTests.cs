using Microsoft.Playwright;
using Threadline.Stitching;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>The pages in Chromium against a server loaded with the demo scenario.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TransactionPageTests(WebRun run)
{
    [Fact]
    public async Task A_failed_payment_opens_from_the_list_with_every_graph_node_and_send_email_shows_the_third_party_error()
    {
        var (transaction, mail) = await DemoData.FailedPaymentAsync(run);
        var page = await run.NewPageAsync();

        await page.GotoAsync($"/?status=error&q={transaction.Id}");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await WebRun.ScreenshotAsync(page, "transactions");
        await page.GetByRole(AriaRole.Link, new() { Name = "POST /payments → process-payment" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/transactions/{transaction.Id}").ToString());
        var graph = TransactionGraph.Of(transaction);
        await Expect(page.GetByTestId("graph")).ToHaveAttributeAsync("data-node-count", graph.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var nodes = page.GetByRole(AriaRole.List, new() { Name = "Graph nodes" }).GetByRole(AriaRole.Listitem);
        await Expect(nodes).ToHaveCountAsync(graph.Nodes.Count);
        foreach (var node in graph.Nodes)
            await Expect(nodes.Filter(new() { HasText = node.Name })).Not.ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "send-email" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/transactions/{transaction.Id}?invocation={mail.Id}").ToString());
        var dive = page.GetByTestId("deep-dive");
        await Expect(dive.GetByTestId("error")).ToContainTextAsync("records reported failed (batchItemFailures)");
        await Expect(dive.Locator("details.call.failed summary")).ToContainTextAsync("HTTP 400");
        await Expect(dive.Locator("details.call.failed")).ToContainTextAsync("/2010-04-01/Messages.json");
        await Expect(dive.GetByTestId("invocation-cost")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\$0\.0+[1-9]"));
        await Expect(dive.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^#[0-9a-f]{12}$") })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("transaction-cost")).ToContainTextAsync("cost $");
        await Expect(page.Locator("ol.story li.failed").Filter(new() { HasText = "send-email failed" })).Not.ToHaveCountAsync(0);
        await WebRun.ScreenshotAsync(page, "transaction-send-email");
    }

    [Fact]
    public async Task The_search_box_goes_straight_to_the_transaction_of_a_request_id()
    {
        var (transaction, _) = await DemoData.FailedPaymentAsync(run);
        var entry = transaction.Invocations.Single(i => i.Id == transaction.Summary.EntryInvocation);
        var page = await run.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search by transaction, trace, request or message id" });
        await search.FillAsync(entry.RequestId!);
        await search.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/transactions/{transaction.Id}?invocation={entry.Id}").ToString());
        await Expect(page.GetByTestId("deep-dive")).ToContainTextAsync(entry.RequestId!);
        await WebRun.ScreenshotAsync(page, "search-request-id");
    }

    [Fact]
    public async Task The_search_box_leads_to_explore_for_anything_that_is_not_a_known_id()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search by transaction, trace, request or message id" });
        await search.FillAsync("no-such-request");
        await search.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, "/explore?q=no-such-request").ToString());
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("No matches");
    }

    [Fact]
    public async Task Markup_in_a_payload_is_shown_as_text_and_never_run()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync($"/transactions/{ScriptProbe.TransactionId}?invocation={ScriptProbe.TransactionId}");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        var dive = page.GetByTestId("deep-dive");
        await Expect(dive.GetByTestId("event")).ToContainTextAsync(ScriptProbe.Script);
        await Expect(dive.GetByTestId("response")).ToHaveTextAsync(ScriptProbe.Script);
        Assert.Equal(0, await dive.Locator("script").CountAsync());
        Assert.False(await page.EvaluateAsync<bool>("() => window.__threadlineInjected === true"));
        await WebRun.ScreenshotAsync(page, "transaction-markup");
    }

    [Fact]
    public async Task An_unknown_transaction_has_a_designed_not_found_state()
    {
        var page = await run.NewPageAsync();
        await page.GotoAsync("/transactions/00000000000000000000000000000001-0000000000000001");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No such transaction" })).ToBeVisibleAsync();
    }
}
