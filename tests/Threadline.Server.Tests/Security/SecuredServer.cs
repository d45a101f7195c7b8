using System.Net;
using System.Text.RegularExpressions;
using Threadline.Analysis;
using Threadline.Server.Security;
using Threadline.Web;

namespace Threadline.Server.Tests.Security;

/// <summary>
/// A real server with the product's modules (analysis, web UI) and authentication on: its data folder starts with a
/// user, an ingest token and an API token made by <see cref="AuthStore"/>, as <c>threadline auth</c> makes them.
/// </summary>
public sealed partial class SecuredServer : IAsyncLifetime
{
    public const string UserName = "alice";
    public const string Password = "correct horse battery staple";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "threadline-security-tests", Guid.NewGuid().ToString("n"));
    public RunningServer Server { get; private set; } = null!;
    public AuthStore Auth { get; private set; } = null!;
    public string IngestToken { get; private set; } = "";
    public string ApiToken { get; private set; } = "";

    public Uri ApiAddress => new($"http://127.0.0.1:{Server.ApiPort}");
    public Uri OtlpHttpAddress => new($"http://127.0.0.1:{Server.OtlpHttpPort}");
    public Uri OtlpGrpcAddress => new($"http://127.0.0.1:{Server.OtlpGrpcPort}");
    public Uri ZipkinAddress => new($"http://127.0.0.1:{Server.ZipkinPort}");

    public async ValueTask InitializeAsync()
    {
        Auth = new AuthStore(DataDirectory);
        Auth.AddUser(UserName, Password);
        IngestToken = Auth.CreateToken("exporter", TokenKind.Ingest);
        ApiToken = Auth.CreateToken("script", TokenKind.Api);
        Server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = DataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            ZipkinPort = 0,
            Modules = [new AnalysisModule(), new WebModule()],
        }, TestContext.Current.CancellationToken);
    }

    /// <summary>A client that keeps cookies and does not follow redirects, as a browser session seen from HTTP.</summary>
    public HttpClient NewBrowser() => Browser(ApiAddress);

    public static HttpClient Browser(Uri address) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };

    /// <summary>Fetches the sign-in form and posts it; returns the answer to the post.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, string returnUrl = "/")
    {
        var ct = TestContext.Current.CancellationToken;
        var form = await browser.GetStringAsync(new Uri("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative), ct);
        return await browser.PostAsync(new Uri("/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["returnUrl"] = returnUrl,
            ["name"] = user,
            ["password"] = password,
        }), ct);
    }

    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "The form has no antiforgery field: " + html);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

[CollectionDefinition(Name)]
public sealed class SecuredServerCollection : ICollectionFixture<SecuredServer>
{
    public const string Name = "secured server";
}
