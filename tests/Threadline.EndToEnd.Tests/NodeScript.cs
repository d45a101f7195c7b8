using System.Diagnostics;
using System.Text.Json;
using Threadline.Testing;

namespace Threadline.EndToEnd.Tests;

/// <summary>What a script of <c>js/</c> reported (the JSON it wrote to <c>REPORT_FILE</c>), and its output for failure messages.</summary>
public sealed record NodeRun(string Script, JsonElement Report, string Output, string Error)
{
    public override string ToString() => $"node {Script} reported {Report}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// Runs a script of <c>js/</c> with Node.js. Its packages come from <c>js/package-lock.json</c>, installed by
/// <c>npm ci</c> (<c>scripts/test</c> does it); when node or a package is missing the test fails with node's
/// stderr and what to run.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Variables of the test process that would change what the SDKs do, never passed on.</summary>
    private static readonly string[] ScrubbedPrefixes = ["OTEL_", "AWS_", "_X_AMZN_", "_HANDLER", "LAMBDA_"];

    public static string ScriptsDirectory { get; } = FindDirectory();

    /// <summary>The scripts of the other tracers (X-Ray SDK, Zipkin exporter), with their own lockfile.</summary>
    public static string TracerScriptsDirectory { get; } = Path.Combine(Path.GetDirectoryName(ScriptsDirectory)!, "js-tracers");

    /// <summary>The Lumigo tracer's scripts, with their own lockfile.</summary>
    public static string LumigoScriptsDirectory { get; } = Path.Combine(Path.GetDirectoryName(ScriptsDirectory)!, "lumigo-js");

    /// <param name="directory">The folder of the script and its package-lock.json: <c>js/</c> unless given.</param>
    public static async Task<NodeRun> RunAsync(string script, IReadOnlyDictionary<string, string> environment, string? directory = null)
    {
        directory ??= ScriptsDirectory;
        var start = new ProcessStartInfo("node") { WorkingDirectory = directory };
        start.ArgumentList.Add(script);
        foreach (var name in start.Environment.Keys.Where(k => ScrubbedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var reportFile = Path.Combine(Path.GetTempPath(), $"threadline-e2e-{Guid.NewGuid():n}.json");
        start.Environment["REPORT_FILE"] = reportFile;

        ProcessResult result;
        try
        {
            result = await ChildProcess.RunAsync(start, Deadline, TestContext.Current.CancellationToken);
        }
        catch (InvalidOperationException e)
        {
            Assert.Fail($"{e.Message}; Node.js 20 or later must be on the PATH");
            throw;
        }

        if (result.ExitCode != 0)
        {
            var hint = Directory.Exists(Path.Combine(directory, "node_modules"))
                ? ""
                : $"\n({directory}/node_modules is missing: run `npm ci` there, as scripts/test does)";
            Assert.Fail($"node {script} exited with {result.ExitCode}:\n{result.Error}\n{result.Output}{hint}");
        }

        try
        {
            return new NodeRun(script, JsonDocument.Parse(await File.ReadAllTextAsync(reportFile, TestContext.Current.CancellationToken)).RootElement.Clone(),
                result.Output, result.Error);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            Assert.Fail($"node {script} wrote no JSON report ({e.Message}):\n{result.Output}\n{result.Error}");
            throw;
        }
        finally
        {
            File.Delete(reportFile);
        }
    }

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Threadline.EndToEnd.Tests.csproj")))
            {
                return Path.Combine(directory.FullName, "js");
            }
        }

        throw new DirectoryNotFoundException("tests/Threadline.EndToEnd.Tests/js not found above " + AppContext.BaseDirectory);
    }
}
