using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Threadline.Server.Security;

namespace Threadline.Server.Tests.Security;

/// <summary>Signing in with a browser's cookies over real HTTP, and API tokens for scripts.</summary>
[Collection(SecuredServerCollection.Name)]
public sealed class SignInTests(SecuredServer fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_page_redirects_to_sign_in_and_back_after_signing_in()
    {
        using var browser = fixture.NewBrowser();
        using var page = await browser.GetAsync(new Uri("/transactions/abc?invocation=1", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.Equal("/signin", page.Headers.Location!.AbsolutePath);
        var returnUrl = System.Web.HttpUtility.ParseQueryString(page.Headers.Location.Query)["returnUrl"];
        Assert.Equal("/transactions/abc?invocation=1", returnUrl);

        using var signedIn = await SecuredServer.SignInAsync(browser, SecuredServer.UserName, SecuredServer.Password, returnUrl!);

        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.Equal("/transactions/abc?invocation=1", signedIn.Headers.Location!.OriginalString);
        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var homeHtml = await home.Content.ReadAsStringAsync(Ct);
        Assert.Contains("blazor.web.js", homeHtml, StringComparison.Ordinal);
        Assert.Contains($">{SecuredServer.UserName}</span>", homeHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"/signout\"", homeHtml, StringComparison.Ordinal);
        using var health = await browser.GetAsync(new Uri("/api/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_browser_can_open_the_ui_s_blazor_connection()
    {
        using var browser = fixture.NewBrowser();
        using (await SecuredServer.SignInAsync(browser, SecuredServer.UserName, SecuredServer.Password)) { }

        using var negotiate = await browser.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        using var body = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync(Ct));
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("connectionToken").GetString()));
    }

    [Fact]
    public async Task The_sign_in_page_is_a_labelled_form_with_its_own_stylesheet()
    {
        using var browser = fixture.NewBrowser();
        var html = await browser.GetStringAsync(new Uri("/signin", UriKind.Relative), Ct);
        using var css = await browser.GetAsync(new Uri("/signin.css", UriKind.Relative), Ct);

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"name\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_wrong_password_or_unknown_user_is_refused_with_the_form_again()
    {
        using var browser = fixture.NewBrowser();
        using var wrongPassword = await SecuredServer.SignInAsync(browser, SecuredServer.UserName, "not the password at all");
        using var unknownUser = await SecuredServer.SignInAsync(browser, "mallory", SecuredServer.Password);

        foreach (var response in new[] { wrongPassword, unknownUser })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
            Assert.Contains("The user name or password is not right.", html, StringComparison.Ordinal);
        }
        using var health = await browser.GetAsync(new Uri("/api/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, health.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = fixture.NewBrowser();
        await browser.GetStringAsync(new Uri("/signin", UriKind.Relative), Ct);

        using var response = await browser.PostAsync(new Uri("/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = SecuredServer.UserName,
            ["password"] = SecuredServer.Password,
        }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var health = await browser.GetAsync(new Uri("/api/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, health.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    public async Task Sign_in_never_redirects_off_the_server(string returnUrl)
    {
        using var browser = fixture.NewBrowser();
        using var response = await SecuredServer.SignInAsync(browser, SecuredServer.UserName, SecuredServer.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = fixture.NewBrowser();
        using (await SecuredServer.SignInAsync(browser, SecuredServer.UserName, SecuredServer.Password)) { }
        var form = await browser.GetStringAsync(new Uri("/signout", UriKind.Relative), Ct);
        Assert.Contains(SecuredServer.UserName, form, StringComparison.Ordinal);

        using var signedOut = await browser.PostAsync(new Uri("/signout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = SecuredServer.AntiforgeryToken(form),
        }), Ct);

        Assert.Equal(HttpStatusCode.Found, signedOut.StatusCode);
        Assert.Equal("/signin", signedOut.Headers.Location!.OriginalString);
        using var health = await browser.GetAsync(new Uri("/api/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, health.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_user_ends_their_session_and_their_sign_in()
    {
        var name = "bob-" + Guid.NewGuid().ToString("n")[..8];
        fixture.Auth.AddUser(name, "another long password");
        using var browser = fixture.NewBrowser();
        using (var signedIn = await SecuredServer.SignInAsync(browser, name, "another long password"))
            Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        using (var before = await browser.GetAsync(new Uri("/api/health", UriKind.Relative), Ct))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        fixture.Auth.Revoke(name);

        using var after = await browser.GetAsync(new Uri("/api/health", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var again = await SecuredServer.SignInAsync(fixture.NewBrowser(), name, "another long password");
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task An_api_token_reads_the_api_and_an_ingest_or_unknown_token_does_not()
    {
        using var api = new HttpClient { BaseAddress = fixture.ApiAddress };
        async Task<HttpResponseMessage> GetAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/transactions");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await api.SendAsync(request, Ct);
        }

        using var accepted = await GetAsync(fixture.ApiToken);
        using var ingest = await GetAsync(fixture.IngestToken);
        using var unknown = await GetAsync(TokenSecrets.Create(TokenKind.Api));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        foreach (var refused in new[] { ingest, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Contains("API token is not valid", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }
}
