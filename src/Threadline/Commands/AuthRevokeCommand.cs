using System.CommandLine;
using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary><c>threadline auth revoke NAME</c>: removes a user or token; a running server refuses it from its next request.</summary>
internal static class AuthRevokeCommand
{
    public static Command Create()
    {
        var data = AuthCommand.DataOption();
        var name = new Argument<string>("NAME") { Description = "The user or token to remove" };
        var command = new Command("revoke", "Remove a user (ending their sessions) or a token.") { name, data };
        command.SetAction((parse, _) => AuthCommand.RunAsync(async () =>
        {
            var store = new AuthStore(parse.GetValue(data)!);
            store.Revoke(parse.GetValue(name)!);
            await Console.Out.WriteLineAsync($"Revoked '{parse.GetValue(name)}'.").ConfigureAwait(false);
        }));
        return command;
    }
}
