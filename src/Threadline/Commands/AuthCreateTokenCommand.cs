using System.CommandLine;
using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary>
/// <c>threadline auth create-token NAME --kind ingest|api</c>: prints the new token alone on standard output (so a
/// script can capture it) and how to use it on standard error. The token is never shown again.
/// </summary>
internal static class AuthCreateTokenCommand
{
    public static Command Create()
    {
        var data = AuthCommand.DataOption();
        var name = new Argument<string>("NAME") { Description = "A name for the token, e.g. where it is used (checkout-prod)" };
        var kind = new Option<string>("--kind")
        {
            Description = "ingest: sends telemetry to the OTLP receivers; api: calls the JSON API",
            Required = true,
        };
        kind.AcceptOnlyFromAmong("ingest", "api");
        var lumigo = new Option<bool>("--lumigo")
        {
            Description = "An ingest token in the form the Lumigo tracers accept (t_ and 64 hex digits; LUMIGO_TRACER_TOKEN)",
        };
        var command = new Command("create-token", "Create a token for OTLP exporters (--kind ingest) or for scripts using the API (--kind api).")
        {
            name, kind, lumigo, data,
        };
        command.SetAction((parse, _) => AuthCommand.RunAsync(async () =>
        {
            var tokenName = parse.GetValue(name)!;
            var tokenKind = parse.GetValue(kind) == "api" ? TokenKind.Api : TokenKind.Ingest;
            var store = new AuthStore(parse.GetValue(data)!);
            var lumigoFormat = parse.GetValue(lumigo);
            if (lumigoFormat && tokenKind != TokenKind.Ingest)
                throw new AuthStoreException("--lumigo makes an ingest token; use it with --kind ingest.");
            var token = store.CreateToken(tokenName, tokenKind, lumigoFormat);
            await Console.Out.WriteLineAsync(token).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(tokenKind == TokenKind.Ingest
                ? $"Created ingest token '{tokenName}' in {store.FilePath}; it is shown only now. Exporters send it as " +
                  $"'Authorization: Bearer <token>' or '{AuthSchemes.TokenHeader}: <token>', e.g. OTEL_EXPORTER_OTLP_HEADERS={AuthSchemes.TokenHeader}=<token>"
                : $"Created API token '{tokenName}' in {store.FilePath}; it is shown only now. Scripts send it as 'Authorization: Bearer <token>'.").ConfigureAwait(false);
        }));
        return command;
    }
}
