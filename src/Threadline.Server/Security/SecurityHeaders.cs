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
    /// Only this origin, nothing framed, no plugins, no inline or evaluated script (Blazor Server needs none; its
    /// WebSocket is same-origin, which <c>connect-src 'self'</c> covers). <c>style-src 'unsafe-inline'</c> is the one
    /// relaxation, found by running the browser tests under <c>style-src 'self'</c> and reading the console: Blazor and
    /// Fluent UI set <c>style</c> attributes from script (virtualized rows, component parameters; the 10,000-span
    /// timeline test fails without them), and <c>&lt;style&gt;</c> elements are injected at run time by Blazor's
    /// reconnect dialog, Fluent UI's theme and cytoscape (its container rule). Hashes of those would break with each
    /// library update. <c>img-src data:</c>: the UI's favicon is the empty <c>data:,</c> (blocked and logged under
    /// <c>img-src 'self'</c>); a data URL fetches nothing.
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
