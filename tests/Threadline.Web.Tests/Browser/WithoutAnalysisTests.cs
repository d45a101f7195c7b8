using Microsoft.Playwright;
using Threadline.Server;
using static Microsoft.Playwright.Assertions;

namespace Threadline.Web.Tests.Browser;

/// <summary>The web module alone on an empty server (no analysis module, no data): the designed states.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WithoutAnalysisTests(WebRun run)
{
    [Fact]
    public async Task Analysis_pages_say_analysis_is_not_enabled_and_the_map_and_list_say_there_is_nothing_yet()
    {
        var data = Path.Combine(Path.GetTempPath(), "threadline-web-tests", Guid.NewGuid().ToString("n"));
        var server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = data,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            Modules = [new WebModule()],
        }, TestContext.Current.CancellationToken);
        try
        {
            var context = await run.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = $"http://127.0.0.1:{server.ApiPort}" });
            var page = await context.NewPageAsync();
            foreach (var path in new[] { "/issues", "/issues/0123456789ab", "/functions", "/functions/send-email", "/deployments", "/alerts" })
            {
                await page.GotoAsync(path);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Analysis is not enabled" })).ToBeVisibleAsync();
            }
            await WebRun.ScreenshotAsync(page, "without-analysis");
            await page.GotoAsync("/map");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nothing to map" })).ToBeVisibleAsync();
            await page.GotoAsync("/");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No transactions" })).ToBeVisibleAsync();
            await page.GotoAsync("/traces/0af7651916cd43dd8448eb211c80319c");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No such trace" })).ToBeVisibleAsync();
            await context.DisposeAsync();
        }
        finally
        {
            await server.DisposeAsync();
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
        }
    }
}
