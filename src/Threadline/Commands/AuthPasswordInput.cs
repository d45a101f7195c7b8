using System.Text;
using Threadline.Server.Security;

namespace Threadline.Commands;

/// <summary>How <c>add-user</c> gets a password: typed twice at a prompt that does not echo, or one line of stdin.</summary>
internal static class AuthPasswordInput
{
    public static async Task<string> ReadLineAsync(CancellationToken cancellationToken) =>
        await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false)
        ?? throw new AuthStoreException("--password-stdin: standard input ended before a password line.");

    public static string Prompt(string user)
    {
        if (Console.IsInputRedirected)
            throw new AuthStoreException("No terminal to ask for the password on: pass it on standard input with --password-stdin.");
        var first = ReadHidden($"Password for {user}: ");
        if (Passwords.Problem(first) is { } problem)
            throw new AuthStoreException(problem);
        if (!string.Equals(first, ReadHidden("Again: "), StringComparison.Ordinal))
            throw new AuthStoreException("The two passwords differ; nothing was changed.");
        return first;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                    text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
