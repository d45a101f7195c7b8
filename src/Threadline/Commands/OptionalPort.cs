using System.CommandLine;
using System.Globalization;

namespace Threadline.Commands;

/// <summary>
/// A listener that is off unless asked for: <c>--NAME-port</c> alone uses the protocol's usual port, <c>--NAME-port N</c>
/// another (0 picks a free one), and a non-empty THREADLINE_* variable does the same when the flag is absent.
/// </summary>
internal sealed class OptionalPort(string name, string variable, int usualPort, string what)
{
    public Option<string?> Option { get; } = new(name)
    {
        Description = $"Enable the {what} on this port ({usualPort} when the flag has no value; 0 picks a free one; default: off) [env: {variable}]",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The port, or null when off; a value that is not a number is added to <paramref name="problems"/>.</summary>
    public int? Read(ParseResult parse, List<string> problems)
    {
        string? text;
        string source;
        if (parse.GetResult(Option) is { Implicit: false })
        {
            text = parse.GetValue(Option);
            source = name;
            if (string.IsNullOrEmpty(text))
                return usualPort;
        }
        else if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            text = value;
            source = variable;
        }
        else
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port))
            return port;
        problems.Add($"{source} '{text}' is not a port number.");
        return null;
    }
}
