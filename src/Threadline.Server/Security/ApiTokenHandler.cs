using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Threadline.Server.Security;

/// <summary>Authenticates API requests by an API token in <c>Authorization: Bearer</c>; a refusal is 401 JSON.</summary>
internal sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (AuthSchemes.BearerToken(Request) is not { } token)
            return Task.FromResult(AuthenticateResult.NoResult());
        var identity = registry.Authenticate(token, TokenKind.Api, Scheme.Name);
        return Task.FromResult(identity is null
            ? AuthenticateResult.Fail("The API token is not valid (unknown, revoked, or not an API token).")
            : AuthenticateResult.Success(new AuthenticationTicket(new(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        await UnauthenticatedResponses.WriteApiAsync(Context, result.Failure?.Message ?? UnauthenticatedResponses.SignInOrToken).ConfigureAwait(false);
    }
}
