using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Threadline.Analysis;
using Threadline.Analysis.Configuration;
using Threadline.Demo.Hosting;
using Threadline.Demo.Scenario;
using Threadline.Server;

namespace Threadline.Web.Tests.Browser;

/// <summary>
/// A real Threadline server with the web module, loaded with one short seeded run of the demo scenario and one
/// invocation whose event carries a &lt;script&gt;, and Debian's Chromium driven by Playwright; shared by the browser tests.
/// </summary>
public sealed class WebRun : IAsyncLifetime
{
    public static readonly ScenarioOptions Scenario = new() { Duration = TimeSpan.FromSeconds(10), Rate = 3, Seed = 7 };

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-web-tests", Guid.NewGuid().ToString("n"));
    private readonly StringWriter _log = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _console = new();
    private IPlaywright? _playwright;

    public RunningServer Server { get; private set; } = null!;

    public DemoApplication App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => new($"http://127.0.0.1:{Server.ApiPort}");

    /// <summary>Where the tests save their screenshots: under the test output folder, never committed.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = _dataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            Modules = [new AnalysisModule(Analysis(_dataDirectory)), new WebModule()],
        }, cancellationToken);
        App = await DemoApplication.StartAsync(new DemoApplicationOptions { OtlpEndpoint = new Uri($"http://127.0.0.1:{Server.OtlpHttpPort}") }, cancellationToken);
        await new ScenarioDriver(App, Scenario, _log).RunAsync(cancellationToken);
        var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        await SendTracesAsync(ScriptProbe.TraceJson(now), cancellationToken);
        await SendTracesAsync(LargeTransaction.TraceJson(now), cancellationToken);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>
    /// The analysis as the product runs it for the demo: users and VIPs from the payment request's body, and an alert rule
    /// file whose webhook goes nowhere (so the alerts page shows a failed delivery).
    /// </summary>
    private static AnalysisOptions Analysis(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var rules = Path.Combine(dataDirectory, "alerts.json");
        File.WriteAllText(rules, AlertRules);
        return new AnalysisOptions
        {
            UserRule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.body.userId" },
            VipRule = new VipRule { Rule = new ValueRule { Source = ValueSource.JsonPath, Name = "$.body.vip" }, Values = ["true"] },
            AlertRulesPath = rules,
            EvaluationInterval = TimeSpan.FromSeconds(2),
        };
    }

    public const string AlertRules = """
        {
          "channels": [ { "name": "ops", "type": "webhook", "url": "http://127.0.0.1:9/threadline" } ],
          "rules": [
            { "name": "new issues", "type": "newIssue", "channels": ["ops"] },
            { "name": "slow payments", "type": "p95Duration", "function": "process-payment", "threshold": 60000, "channels": ["ops"] }
          ]
        }
        """;

    /// <summary>A new page in its own context, sized like a laptop screen, that fails the test on a browser error.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var test = TestContext.Current.Test?.TestDisplayName ?? "";
        page.Console += (_, message) => _console.Enqueue($"{test}: {message.Type}: {message.Text}");
        page.PageError += (_, error) => _console.Enqueue($"{test}: page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                _console.Enqueue($"{test}: {response.Status} {response.Request.Method} {response.Url}");
        };
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    /// <summary>Sends an OTLP/JSON trace export request; answered 200 once stored.</summary>
    public async Task SendTracesAsync(string body, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.OtlpHttpPort}") };
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        // The browser's console, saved next to the screenshots for whoever reads a failure.
        if (Directory.Exists(ScreenshotFolder))
            await File.WriteAllLinesAsync(Path.Combine(ScreenshotFolder, "browser-console.log"), _console);
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null)
            await App.DisposeAsync();
        if (Server is not null)
            await Server.DisposeAsync();
        await _log.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }
}
