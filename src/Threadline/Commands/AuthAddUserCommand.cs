using System.CommandLine;
using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary><c>threadline auth add-user NAME [--password-stdin]</c>: a local user for the UI and API.</summary>
internal static class AuthAddUserCommand
{
    public static Command Create()
    {
        var data = AuthCommand.DataOption();
        var name = new Argument<string>("NAME") { Description = "The user's name" };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password from the first line of standard input instead of prompting for it",
        };
        var command = new Command("add-user", $"Add a user who signs in to the UI with a password (at least {Passwords.MinimumLength} characters).")
        {
            name, data, passwordStdin,
        };
        command.SetAction((parse, cancellationToken) => AuthCommand.RunAsync(async () =>
        {
            var user = parse.GetValue(name)!;
            var problem = AccountNames.Problem(user);
            if (problem is not null)
                throw new AuthStoreException(problem);
            var password = parse.GetValue(passwordStdin)
                ? await AuthPasswordInput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                : AuthPasswordInput.Prompt(user);
            var store = new AuthStore(parse.GetValue(data)!);
            store.AddUser(user, password);
            await Console.Out.WriteLineAsync($"Added user '{user}' to {store.FilePath}.").ConfigureAwait(false);
        }));
        return command;
    }
}
