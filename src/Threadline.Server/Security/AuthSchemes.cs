namespace Threadline.Server.Security;

/// <summary>
/// The authentication schemes. <see cref="Default"/> picks one per request: ingest tokens on the OTLP listeners;
/// on the API listener an API token when the request carries <c>Authorization: Bearer</c>, else the sign-in cookie.
/// </summary>
public static class AuthSchemes
{
    public const string Default = "threadline";
    public const string IngestToken = "threadline-ingest-token";
    public const string ApiToken = "threadline-api-token";
    public const string Cookie = "threadline-cookie";

    /// <summary>The header for clients that cannot set <c>Authorization</c> (ingest only).</summary>
    public const string TokenHeader = "X-Threadline-Token";

    /// <summary>The token of <c>Authorization: Bearer &lt;token&gt;</c>, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var value = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return value.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) && value.Length > Bearer.Length ? value[Bearer.Length..].Trim() : null;
    }
}
