using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Threadline.Demo.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>The functions table, a function's charts with deployment markers, the deployments page and the alerts page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FunctionPagesTests(WebRun run)
{
    private static readonly Regex Rendered = new("^[1-9]");

    [Fact]
    public async Task Send_email_has_charts_with_its_v2_deployment_marked_with_the_verdict_and_its_failed_invocations()
    {
        var v2 = run.App.Sandbox.Functions.Current(DemoNames.SendEmail).Version;
        var queries = AnalysisData.Queries(run);
        await AnalysisData.PollAsync(() => queries.Deployments(DemoNames.SendEmail).Any(d => d.Version == v2),
            () => "send-email deployments: " + string.Join("; ", queries.Deployments(DemoNames.SendEmail).Select(d => $"{d.Version} {d.Verdict}")));
        var page = await run.NewPageAsync();

        await page.GotoAsync("/functions");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = DemoNames.SendEmail, Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await WebRun.ScreenshotAsync(page, "functions");
        await page.GetByRole(AriaRole.Link, new() { Name = DemoNames.SendEmail, Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, $"/functions/{DemoNames.SendEmail}").ToString());
        foreach (var chart in new[] { "chart-invocations", "chart-errors", "chart-duration" })
            await Expect(page.GetByTestId(chart).Locator("canvas")).ToHaveAttributeAsync("data-rendered", Rendered);
        await Expect(page.GetByTestId("chart-errors").Locator("canvas")).ToHaveAttributeAsync("aria-label", new Regex(@"[1-9][0-9]* markers"));
        await Expect(page.GetByTestId("deployment-markers")).ToContainTextAsync($"after {v2}");
        await Expect(page.GetByTestId("failures").Locator("tbody tr").First).ToContainTextAsync("HTTP 400");

        // The pointer on the v2 marker of the errors chart shows its verdict.
        var canvas = page.GetByTestId("chart-errors").Locator("canvas");
        var point = await canvas.EvaluateAsync<double[]>(
            "c => { const chart = Chart.getChart(c); const line = Object.values(chart.options.plugins.annotation.annotations)[0];" +
            " return [chart.scales.x.getPixelForValue(line.value), (chart.chartArea.top + chart.chartArea.bottom) / 2]; }");
        await canvas.HoverAsync(new() { Position = new() { X = (float)point[0], Y = (float)point[1] } });
        await Expect(page.GetByTestId("chart-errors").GetByRole(AriaRole.Tooltip)).ToContainTextAsync($"{v2}: ");
        await Expect(page.GetByTestId("chart-errors").GetByRole(AriaRole.Tooltip)).ToContainTextAsync($"after {v2}");
        await WebRun.ScreenshotAsync(page, "function-send-email");
    }

    [Fact]
    public async Task The_deployments_page_shows_each_verdict_and_the_alerts_page_its_rules_and_a_failed_delivery()
    {
        var v2 = run.App.Sandbox.Functions.Current(DemoNames.SendEmail).Version;
        var queries = AnalysisData.Queries(run);
        await AnalysisData.PollAsync(() => queries.Deployments(DemoNames.SendEmail).Any(d => d.Version == v2) && queries.Notifications().Count > 0,
            () => $"{queries.Deployments(null).Count} deployments, {queries.Notifications().Count} notifications");
        var page = await run.NewPageAsync();

        await page.GotoAsync($"/deployments?function={DemoNames.SendEmail}");
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("deployments").Locator("tbody tr").Filter(new() { HasText = $"after {v2}" })).Not.ToHaveCountAsync(0);
        await WebRun.ScreenshotAsync(page, "deployments");

        await page.GetByRole(AriaRole.Link, new() { Name = "Alerts" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(run.BaseAddress, "/alerts").ToString());
        await Expect(page.GetByTestId("alert-rules")).ToContainTextAsync("p95 ≥ 60000 ms");
        // Notifications of every rule are listed, latest first: the failed delivery to "ops" is one of them.
        await Expect(page.GetByTestId("notifications").Locator("tbody tr").Filter(new() { HasText = "ops: failed" })).Not.ToHaveCountAsync(0);
        await WebRun.ScreenshotAsync(page, "alerts");
    }
}
