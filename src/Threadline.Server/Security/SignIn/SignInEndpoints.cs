using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Threadline.Server.Security.SignIn;

/// <summary>
/// <c>/signin</c> (the form, and its post), <c>/signin.css</c>, and <c>/signout</c> (a confirmation form, and its
/// post) on the API listener. Only the first three are open to anonymous requests. Both posts check the
/// antiforgery token; a successful sign-in redirects back to the page that asked for it (local paths only).
/// </summary>
internal static class SignInEndpoints
{
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string StylePath = "/signin.css";

    public static RouteGroupBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").ExcludeFromDescription();
        group.MapGet(SignInPath, ShowSignIn).AllowAnonymous();
        group.MapPost(SignInPath, SignInAsync).AllowAnonymous().DisableAntiforgery();
        group.MapGet(StylePath, () => Results.Text(SignInStyle.Css, "text/css; charset=utf-8")).AllowAnonymous();
        group.MapGet(SignOutPath, ShowSignOut);
        group.MapPost(SignOutPath, SignOutAsync).DisableAntiforgery();
        return group;
    }

    private static IResult ShowSignIn(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        SignInForm(context, antiforgery, LocalOrRoot(returnUrl), "", error: null, StatusCodes.Status200OK);

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, AuthRegistry registry, SignInThrottle throttle, ILoggerFactory loggers)
    {
        if (!context.Request.HasFormContentType)
            return Html(SignInPages.Message("Sign-in failed", "Send the sign-in form."), StatusCodes.Status400BadRequest);
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            return Html(SignInPages.Message("Sign-in failed", "The form expired or did not come from this page; sign in again."), StatusCodes.Status400BadRequest);
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var name = form["name"].ToString();
        var returnUrl = LocalOrRoot(form["returnUrl"].ToString());
        var address = context.Connection.RemoteIpAddress;
        var log = loggers.CreateLogger("Threadline.SignIn");
        if (throttle.IsBlocked(context))
        {
            log.LogWarning("Sign-in from {Address} refused: too many failed sign-ins in the last minute", address);
            return SignInForm(context, antiforgery, returnUrl, name, "Too many failed sign-ins from this address; wait a minute and try again.", StatusCodes.Status429TooManyRequests);
        }
        var identity = registry.SignIn(name, form["password"].ToString(), AuthSchemes.Cookie);
        if (identity is null)
        {
            throttle.RecordFailure(context);
            // Only a well-formed name is logged as given, so a name cannot forge log lines.
            log.LogWarning("Failed sign-in as {Name} from {Address}", AccountNames.Problem(name) is null ? name : "(not a valid name)", address);
            return SignInForm(context, antiforgery, returnUrl, name, "The user name or password is not right.", StatusCodes.Status401Unauthorized);
        }
        await context.SignInAsync(AuthSchemes.Cookie, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return Results.Redirect(returnUrl);
    }

    private static IResult ShowSignOut(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Html(SignInPages.SignOut(tokens.FormFieldName, tokens.RequestToken!, context.User.Identity?.Name ?? ""), StatusCodes.Status200OK);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            return Html(SignInPages.Message("Sign-out failed", "The form expired or did not come from this page; open /signout again."), StatusCodes.Status400BadRequest);
        await context.SignOutAsync(AuthSchemes.Cookie).ConfigureAwait(false);
        return Results.Redirect(SignInPath);
    }

    private static IResult SignInForm(HttpContext context, IAntiforgery antiforgery, string returnUrl, string name, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Html(SignInPages.SignIn(tokens.FormFieldName, tokens.RequestToken!, returnUrl, name, error), status);
    }

    private static IResult Html(string html, int status) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    /// <summary>A path on this server to go back to; anything else (another host, <c>//host</c>, <c>/\host</c>) becomes <c>/</c>.</summary>
    internal static string LocalOrRoot(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : "/";
}
