using System.CommandLine;
using System.Globalization;
using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary><c>threadline auth list</c>: users and tokens by name, kind and creation time; never a hash.</summary>
internal static class AuthListCommand
{
    public static Command Create()
    {
        var data = AuthCommand.DataOption();
        var command = new Command("list", "List the users and tokens.") { data };
        command.SetAction((parse, _) => AuthCommand.RunAsync(async () =>
        {
            var store = new AuthStore(parse.GetValue(data)!);
            var document = store.Read();
            var rows = document.Users.Select(u => (u.Name, Kind: "user", u.Created))
                .Concat(document.Tokens.Select(t => (t.Name, Kind: t.Kind == TokenKind.Ingest ? "ingest token" : "API token", t.Created)))
                .OrderBy(r => r.Name, StringComparer.Ordinal)
                .ToList();
            if (rows.Count == 0)
            {
                await Console.Out.WriteLineAsync($"No users or tokens in {store.FilePath}: authentication is off (Threadline is then allowed only on a loopback address).").ConfigureAwait(false);
                return;
            }
            var width = Math.Max(4, rows.Max(r => r.Name.Length));
            await Console.Out.WriteLineAsync($"{"NAME".PadRight(width)}  {"KIND",-12}  CREATED").ConfigureAwait(false);
            foreach (var (name, kind, created) in rows)
                await Console.Out.WriteLineAsync($"{name.PadRight(width)}  {kind,-12}  {created.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        }));
        return command;
    }
}
