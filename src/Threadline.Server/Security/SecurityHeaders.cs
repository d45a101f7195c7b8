using Threadline.Server.Hosting;

namespace Threadline.Server.Security;

/// <summary>
/// The headers every response of the API listener carries (the OTLP listeners serve no browser). They are set when
/// the response starts, so error responses carry them too and a component that sets a weaker value (antiforgery's
/// <c>X-Frame-Options: SAMEORIGIN</c>) does not win. Responses that set no caching of their own (the API's JSON,
/// the pages, which show telemetry) are <c>no-store</c>; static files keep the caching they declare.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Only this origin, nothing framed, no plugins. <c>style-src 'unsafe-inline'</c> is the one relaxation: Blazor
    /// and Fluent UI set <c>style</c> attributes from script (component parameters, virtualized rows, the theme's
    /// design tokens), which CSP treats as inline styles. No inline or evaluated script is allowed; Blazor Server
    /// needs none, and its WebSocket is same-origin (<c>connect-src 'self'</c> covers ws: to the same host).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        if (ListenerRouting.ArrivedOn(context) == Listener.Api)
            context.Response.OnStarting(SetAsync, context.Response);
        return next(context);
    }

    private static Task SetAsync(object state)
    {
        var headers = ((HttpResponse)state).Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (!headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.CacheControl))
            headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }
}
