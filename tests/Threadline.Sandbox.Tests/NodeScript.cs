using System.Diagnostics;
using System.Text.Json.Nodes;
using Threadline.Testing;

namespace Threadline.Sandbox.Tests;

/// <summary>
/// Runs a script of <c>js/</c> with Node.js: the real AWS SDK for JavaScript v3 clients against a sandbox.
/// The packages are installed from <c>js/package-lock.json</c> (<c>npm ci</c>) when <c>node_modules</c> is missing.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task<JsonNode> RunAsync(SandboxHost sandbox, string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = ScriptsDirectory();
        await EnsureInstalledAsync(directory);
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["SANDBOX_ENDPOINT"] = sandbox.Endpoint.ToString(),
            ["SANDBOX_REGION"] = sandbox.Options.Region,
        };
        var (exitCode, output, error) = await ExecuteAsync(directory, "node", [script], variables, ScriptDeadline);
        Assert.True(exitCode == 0, $"node {script} exited with {exitCode}:\n{error}\n{output}");
        return JsonNode.Parse(output) ?? throw new InvalidOperationException($"node {script} printed no result");
    }

    private static async Task EnsureInstalledAsync(string directory)
    {
        await InstallLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "@aws-sdk")))
            {
                var (exitCode, output, error) = await ExecuteAsync(directory, "npm", ["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
                Assert.True(exitCode == 0, $"npm ci failed:\n{error}\n{output}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string ScriptsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Threadline.Sandbox.Tests.csproj")))
            {
                return Path.Combine(directory.FullName, "js");
            }
        }

        throw new DirectoryNotFoundException("tests/Threadline.Sandbox.Tests/js not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output, string Error)> ExecuteAsync(
        string directory, string command, string[] arguments, IReadOnlyDictionary<string, string> environment, TimeSpan deadline)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = directory };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var result = await ChildProcess.RunAsync(start, deadline, TestContext.Current.CancellationToken);
        return (result.ExitCode, result.Output, result.Error);
    }
}
