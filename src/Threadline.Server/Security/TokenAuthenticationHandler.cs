using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Threadline.Server.Security;

/// <summary>Authenticates a request by a token of one kind, checked against <c>auth.json</c> by its hash.</summary>
internal abstract class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected abstract TokenKind Kind { get; }

    /// <summary>The token the request carries, or null when it carries none.</summary>
    protected abstract string? ReadToken();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadToken() is not { } token)
            return Task.FromResult(AuthenticateResult.NoResult());
        var identity = registry.Authenticate(token, Kind, Scheme.Name);
        var what = Kind == TokenKind.Ingest ? "ingest" : "API";
        return Task.FromResult(identity is null
            ? AuthenticateResult.Fail($"The {what} token is not valid (unknown, revoked, or not an {what} token).")
            : AuthenticateResult.Success(new AuthenticationTicket(new(identity), Scheme.Name)));
    }

    /// <summary>Why the request is refused: the failure of the token it sent, or null when it sent none.</summary>
    protected async Task<string?> FailureAsync() => (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure?.Message;
}
