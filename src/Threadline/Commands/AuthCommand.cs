using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Server;
using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary>
/// <c>threadline auth</c>: the users and tokens in the data folder's <c>auth.json</c>. Authentication is on when
/// that file holds at least one user or token (or with <c>--require-auth</c>); a running server takes new tokens and
/// revocations at its next request, and notices the first user or token only at its next start.
/// </summary>
internal static class AuthCommand
{
    public static Command Create() => new("auth", "Manage the users and tokens that may use Threadline (stored hashed in DATA/auth.json).")
    {
        AuthAddUserCommand.Create(),
        AuthCreateTokenCommand.Create(),
        AuthListCommand.Create(),
        AuthRevokeCommand.Create(),
    };

    /// <summary>The data folder option every <c>auth</c> command takes, like <c>serve</c>'s.</summary>
    public static Option<string> DataOption() => new("--data")
    {
        Description = "The data folder of the Threadline server [env: THREADLINE_DATA]",
        DefaultValueFactory = _ => EnvironmentDefault.String("THREADLINE_DATA", "./threadline-data"),
    };

    /// <summary>Runs a change to the auth file; a refused change prints why and ends with 2, an I/O failure with 1.</summary>
    public static async Task<int> RunAsync(Func<Task> change)
    {
        try
        {
            await change().ConfigureAwait(false);
            return 0;
        }
        catch (AuthStoreException e)
        {
            await Console.Error.WriteLineAsync("threadline: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync("threadline: " + e.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The line <c>serve</c> and <c>demo</c> print at start about authentication.</summary>
    public static string Describe(RunningServer server)
    {
        var security = server.Services.GetRequiredService<ServerSecurity>();
        if (!security.Enabled)
            return "Authentication: off (anyone who can reach this address can use Threadline; see SECURITY.md)";
        var document = security.Document;
        var ingest = document.Tokens.Count(t => t.Kind == TokenKind.Ingest);
        var api = document.Tokens.Count(t => t.Kind == TokenKind.Api);
        return $"Authentication: on ({Count(document.Users.Count, "user")}, {Count(ingest, "ingest token")}, {Count(api, "API token")}; sign in at /signin)";
    }

    private static string Count(int count, string what) => $"{count} {what}{(count == 1 ? "" : "s")}";
}
