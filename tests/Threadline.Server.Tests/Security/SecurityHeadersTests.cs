using System.Net;
using System.Text;
using Threadline.Web;

namespace Threadline.Server.Tests.Security;

/// <summary>The security headers on every response of the API listener (here with authentication off, as on a laptop).</summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-security-tests", Guid.NewGuid().ToString("n"));
    private RunningServer _server = null!;
    private HttpClient _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = _dataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            Modules = [new WebModule()],
        }, Ct);
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.ApiPort}") };
    }

    [Theory]
    [InlineData("GET", "/api/health", 200)]
    [InlineData("GET", "/api/traces/not-an-id", 400)]
    [InlineData("GET", "/openapi/v1.json", 200)]
    [InlineData("GET", "/", 200)]
    [InlineData("GET", "/no/such/page", 404)]
    [InlineData("POST", "/v1/traces", 404)] // an OTLP path asked on the API port
    public async Task Responses_of_the_api_listener_carry_the_security_headers_and_are_not_stored_by_caches(string method, string path, int status)
    {
        using var response = await _api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task Static_files_carry_the_security_headers_and_keep_their_own_caching()
    {
        using var response = await _api.GetAsync(new Uri("/_framework/blazor.web.js", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);
        Assert.NotNull(response.Headers.CacheControl);
        Assert.False(response.Headers.CacheControl.NoStore);
    }

    [Fact]
    public async Task The_otlp_listeners_serve_no_browser_and_carry_no_page_headers()
    {
        using var otlp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.OtlpHttpPort}") };
        using var response = await otlp.PostAsync(new Uri("/v1/traces", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        var csp = Single(response, "Content-Security-Policy").Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.DoesNotContain(csp, d => d.Contains("unsafe-eval", StringComparison.Ordinal) || (d.StartsWith("script-src", StringComparison.Ordinal) && d.Contains("unsafe-inline", StringComparison.Ordinal)));
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }
}
