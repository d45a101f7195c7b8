using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Threadline.Server.Security;

/// <summary>Authenticates API requests by an API token in <c>Authorization: Bearer</c>; a refusal is 401 JSON.</summary>
internal sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthRegistry registry)
    : TokenAuthenticationHandler(options, logger, encoder, registry)
{
    protected override TokenKind Kind => TokenKind.Api;

    protected override string? ReadToken() => AuthSchemes.BearerToken(Request);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties) =>
        await UnauthenticatedResponses.WriteApiAsync(Context, await FailureAsync().ConfigureAwait(false) ?? UnauthenticatedResponses.SignInOrToken).ConfigureAwait(false);
}
