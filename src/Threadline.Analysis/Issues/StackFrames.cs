using System.Text.RegularExpressions;

namespace Threadline.Analysis.Issues;

/// <summary>
/// The top frame of a stack trace, without line numbers or arguments, so that a rebuild of the same code groups the
/// same: .NET (<c>at Ns.Type.Method(args) in file:line n</c>), Node.js (<c>at fn (file:line:col)</c>), Python (the
/// last <c>File "…", line n, in fn</c>) and Java (<c>at pkg.Type.method(File.java:n)</c>).
/// </summary>
public static partial class StackFrames
{
    public static string? Top(string? stackTrace)
    {
        if (string.IsNullOrWhiteSpace(stackTrace))
            return null;
        var lines = stackTrace.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var python = lines.LastOrDefault(l => l.StartsWith("File \"", StringComparison.Ordinal));
        if (python is not null && PythonFrame().Match(python) is { Success: true } p)
            return $"{FileName(p.Groups["file"].Value)} in {p.Groups["fn"].Value}";
        foreach (var line in lines)
        {
            if (!line.StartsWith("at ", StringComparison.Ordinal))
                continue;
            var frame = line[3..].Trim();
            if (NodeFrame().Match(frame) is { Success: true } node)
                return $"{node.Groups["fn"].Value} ({FileName(node.Groups["file"].Value)})";
            if (NodeAnonymous().Match(frame) is { Success: true } anonymous)
                return $"<anonymous> ({FileName(anonymous.Groups["file"].Value)})";
            var paren = frame.IndexOf('(');
            var method = GenericArity().Replace(paren > 0 ? frame[..paren] : frame, "");
            method = ClosureClass().Replace(method, "");
            method = AsyncLambda().Replace(method, "$1.<lambda>");
            method = Lambda().Replace(method, "$1.<lambda>");
            return AsyncStateMachine().Replace(method, "$1").Trim();
        }
        return null;
    }

    private static string FileName(string path)
    {
        var slash = path.LastIndexOfAny(['/', '\\']);
        return slash >= 0 ? path[(slash + 1)..] : path;
    }

    [GeneratedRegex("""^File "(?<file>[^"]+)", line \d+, in (?<fn>.+)$""")]
    private static partial Regex PythonFrame();

    [GeneratedRegex(@"^(?<fn>[^\s(]+(?: \[as [^\]]+\])?) \((?<file>[^():]+(?::(?!\d)[^():]+)?)(?::\d+){1,2}\)$")]
    private static partial Regex NodeFrame();

    [GeneratedRegex(@"^(?<file>[^\s()]+?)(?::\d+){1,2}$")]
    private static partial Regex NodeAnonymous();

    /// <summary>Compiler-generated closure classes (<c>&lt;&gt;c__DisplayClass2_1.</c>, <c>&lt;&gt;c.</c>), whose numbers change with the code.</summary>
    [GeneratedRegex(@"<>c(__DisplayClass[\d_]+)?\.")]
    private static partial Regex ClosureClass();

    /// <summary>An async lambda's state machine: <c>&lt;&lt;Definition&gt;b__1&gt;d.MoveNext</c>.</summary>
    [GeneratedRegex(@"<<(\w+)>b__[\d_]+>d(__\d+)?\.MoveNext")]
    private static partial Regex AsyncLambda();

    [GeneratedRegex(@"<(\w+)>b__[\d_]+")]
    private static partial Regex Lambda();

    [GeneratedRegex(@"<(\w+)>d__\d+\.MoveNext")]
    private static partial Regex AsyncStateMachine();

    [GeneratedRegex(@"`\d+|\[[^\]]*\]$")]
    private static partial Regex GenericArity();
}
