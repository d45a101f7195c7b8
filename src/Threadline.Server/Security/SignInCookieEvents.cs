using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Threadline.Server.Security;

/// <summary>
/// The sign-in cookie's behaviour: a browser asking for a page without a session is sent to <c>/signin</c> (and
/// back afterwards); the API, OpenAPI and the Blazor hub answer 401 JSON instead, since a redirect means nothing
/// to a script. A session whose user was revoked or replaced since sign-in is ended at its next request.
/// </summary>
internal sealed class SignInCookieEvents(AuthRegistry registry) : CookieAuthenticationEvents
{
    private static readonly string[] MachinePaths = ["/api", "/openapi", "/_blazor"];

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsPageRequest(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        return UnauthenticatedResponses.WriteApiAsync(context.HttpContext, UnauthenticatedResponses.SignInOrToken);
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } principal && registry.IsCurrent(principal))
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AuthSchemes.Cookie).ConfigureAwait(false);
    }

    public static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !MachinePaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
