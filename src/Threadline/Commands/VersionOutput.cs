using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Threadline.Commands;

/// <summary>
/// <c>threadline --version</c>: the release version and the commit it was built from. The version comes from
/// <c>Version</c> in Directory.Build.props; the SDK appends the commit (<c>SourceRevisionId</c>, taken from git or
/// passed by scripts/release) to the informational version as <c>+commit</c>.
/// </summary>
internal static class VersionOutput
{
    public static void ReplaceDefault(RootCommand root)
    {
        var option = root.Options.OfType<VersionOption>().Single();
        option.Action = new PrintVersion();
    }

    /// <summary>"threadline 0.1.0 (commit 0123abc…)", or "(commit unknown)" when built outside git.</summary>
    public static string Describe()
    {
        var informational = typeof(VersionOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "unknown" : informational[(plus + 1)..];
        return $"threadline {version} (commit {commit})";
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Describe());
            return 0;
        }
    }
}
