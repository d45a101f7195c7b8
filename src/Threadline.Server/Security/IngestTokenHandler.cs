using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Threadline.Ingest.Receive.Lumigo;
using Threadline.Server.Hosting;

namespace Threadline.Server.Security;

/// <summary>
/// Authenticates OTLP requests by an ingest token in <c>Authorization: Bearer</c> or <c>X-Threadline-Token</c>
/// (Lumigo's <c>/api/spans</c>: also a bare <c>Authorization</c> value).
/// A refused request is answered before its body is read (401 with a google.rpc.Status body on OTLP/HTTP, gRPC
/// <c>UNAUTHENTICATED</c> on OTLP/gRPC), so nothing of it is decoded or stored.
/// </summary>
internal sealed class IngestTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthRegistry registry)
    : TokenAuthenticationHandler(options, logger, encoder, registry)
{
    protected override TokenKind Kind => TokenKind.Ingest;

    protected override string? ReadToken() =>
        AuthSchemes.BearerToken(Request) ?? (Request.Headers[AuthSchemes.TokenHeader].ToString() is { Length: > 0 } header ? header.Trim() : null)
        ?? LumigoToken();

    /// <summary>The Lumigo tracers send the token as the whole <c>Authorization</c> value, with no scheme.</summary>
    private string? LumigoToken() =>
        Request.Path.Equals(LumigoEndpoints.Path, StringComparison.OrdinalIgnoreCase)
        && Request.Headers.Authorization.ToString().Trim() is { Length: > 0 } value && !value.Contains(' ', StringComparison.Ordinal)
            ? value
            : null;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var message = await FailureAsync().ConfigureAwait(false)
            ?? $"An ingest token is required: send 'Authorization: Bearer <token>' or '{AuthSchemes.TokenHeader}: <token>' (create one with: threadline auth create-token NAME --kind ingest).";
        if (ListenerRouting.ArrivedOn(Context) == Listener.OtlpGrpc)
            UnauthenticatedResponses.WriteGrpc(Response, message);
        else
            await UnauthenticatedResponses.WriteOtlpHttpAsync(Context, message).ConfigureAwait(false);
    }
}
