using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Threadline.Server.Hosting;
using Threadline.Server.Security.SignIn;

namespace Threadline.Server.Security;

/// <summary>
/// Authentication as decided at start. It is on when <c>auth.json</c> in the data folder holds at least one user
/// or token, or when <see cref="ThreadlineServerOptions.RequireAuthentication"/> is set; it is then required on
/// every endpoint of every listener (a fallback authorization policy) except the sign-in page and its stylesheet.
/// Off, Threadline is open, which it allows only on a loopback address.
/// </summary>
public sealed class ServerSecurity
{
    private ServerSecurity(bool enabled, string authFilePath, AuthDocument document)
    {
        Enabled = enabled;
        AuthFilePath = authFilePath;
        Document = document;
    }

    public bool Enabled { get; }
    public string AuthFilePath { get; }

    /// <summary>The users and tokens at start.</summary>
    public AuthDocument Document { get; }

    /// <summary>Reads <c>auth.json</c> and decides; a configuration that would leave Threadline open to the network is refused.</summary>
    /// <exception cref="InvalidOperationException">The auth file is malformed, or the server would be reachable without authentication.</exception>
    public static ServerSecurity Decide(ThreadlineServerOptions options, string dataDirectory)
    {
        // A new data folder is created owner-only: it will hold payloads, user ids and errors.
        PrivateDirectory.Create(dataDirectory);
        var path = AuthFile.PathIn(dataDirectory);
        AuthDocument document;
        try
        {
            document = AuthFile.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        var data = Quote(dataDirectory);
        if (options.RequireAuthentication && !document.HasCredentials)
            throw new InvalidOperationException(
                $"authentication is required but {path} holds no user or token. Add one first: threadline auth add-user NAME --data {data}");
        if (!IPAddress.IsLoopback(options.BindAddress) && !document.HasCredentials)
            throw new InvalidOperationException(
                $"bound to {options.BindAddress}, Threadline would be reachable from other machines, and no authentication is configured " +
                $"({path} holds no user or token). Add a user for the UI and API and a token for your exporters: " +
                $"threadline auth add-user NAME --data {data} and threadline auth create-token NAME --kind ingest --data {data}; " +
                "or bind to 127.0.0.1 (the default).");
        return new ServerSecurity(document.HasCredentials || options.RequireAuthentication, path, document);
    }

    public void ConfigureServices(IServiceCollection services, string dataDirectory)
    {
        services.AddSingleton(this);
        if (!Enabled)
            return;
        services.AddSingleton(sp => new AuthRegistry(AuthFilePath, sp.GetRequiredService<ILogger<AuthRegistry>>()));
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInCookieEvents>();
        // Sessions and antiforgery tokens are protected with keys kept in the data folder (0700), so a restart signs nobody out.
        services.AddDataProtection().SetApplicationName("Threadline").PersistKeysToFileSystem(PrivateDirectory.Create(Path.Combine(dataDirectory, "keys")));
        // It warns at every start that the keys are not encrypted at rest; the folder's permissions are their protection.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error));
        services.AddAntiforgery(o => o.Cookie.Name = "threadline.antiforgery");
        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "Threadline", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, IngestTokenHandler>(AuthSchemes.IngestToken, null)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(AuthSchemes.ApiToken, null)
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                o.Cookie.Name = "threadline.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = SignInEndpoints.SignInPath;
                o.LogoutPath = SignInEndpoints.SignOutPath;
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.EventsType = typeof(SignInCookieEvents);
            });
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>The security headers of the API listener (always on); call first, so every response carries them.</summary>
    public static void UseSecurityHeaders(WebApplication app) => app.Use(SecurityHeaders.ApplyAsync);

    /// <summary>Authentication and authorization, when on; call after routing, before the endpoints' own middleware.</summary>
    public void UseAuthentication(WebApplication app)
    {
        if (!Enabled)
            return;
        app.UseAuthentication();
        app.UseAuthorization();
    }

    /// <summary>The sign-in endpoints, when authentication is on (null otherwise).</summary>
    public IEndpointConventionBuilder? MapEndpoints(WebApplication app) => Enabled ? app.MapSignIn() : null;

    private static string SelectScheme(HttpContext context) =>
        ListenerRouting.ArrivedOn(context) != Listener.Api ? AuthSchemes.IngestToken
        : AuthSchemes.BearerToken(context.Request) is not null ? AuthSchemes.ApiToken
        : AuthSchemes.Cookie;

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
