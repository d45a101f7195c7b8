using System.Diagnostics;
using System.Xml.Linq;
using Threadline.Testing;

[assembly: AssemblyFixture(typeof(Threadline.Release.Tests.ReleaseBuild))]

namespace Threadline.Release.Tests;

/// <summary>
/// One run of <c>scripts/release --rid linux-x64</c> into a temporary folder, shared by every test of this
/// assembly, and its tarball extracted with tar as a user would.
/// </summary>
public sealed class ReleaseBuild : IAsyncLifetime
{
    public const string Rid = "linux-x64";

    /// <summary>Publishing a self-contained binary on two busy cores takes minutes.</summary>
    private static readonly TimeSpan ReleaseDeadline = TimeSpan.FromMinutes(25);

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Everything the tests create: the release folder, the extracted tarball, data folders.</summary>
    public string Scratch { get; } = Path.Combine(Path.GetTempPath(), "threadline-release-tests", Guid.NewGuid().ToString("n"));

    public string Dist => Path.Combine(Scratch, "dist");

    /// <summary><c>Version</c> of Directory.Build.props, the one place the release version is set.</summary>
    public string Version { get; private set; } = "";

    public string Commit { get; private set; } = "";

    public string TarballName => $"threadline-{Version}-{Rid}.tar.gz";

    /// <summary>The folder the tarball unpacks to, <c>threadline-VERSION-linux-x64</c>.</summary>
    public string Extracted => Path.Combine(Scratch, "extracted", $"threadline-{Version}-{Rid}");

    public string Binary => Path.Combine(Extracted, "threadline");

    public string Nupkg => Path.Combine(Dist, $"Threadline.Tracer.{Version}.nupkg");

    public string Snupkg => Path.Combine(Dist, $"Threadline.Tracer.{Version}.snupkg");

    public async ValueTask InitializeAsync()
    {
        Version = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;
        Commit = (await RunAsync("git", ["rev-parse", "HEAD"], RepositoryRoot, TimeSpan.FromMinutes(1))).Output.Trim();
        Directory.CreateDirectory(Path.Combine(Scratch, "extracted"));

        await RunAsync("bash", ["scripts/release", "--rid", Rid, "--out", Dist], RepositoryRoot, ReleaseDeadline, WithoutTestHostMsBuild);
        await RunAsync("tar", ["-xzf", Path.Combine(Dist, TarballName), "-C", Path.Combine(Scratch, "extracted")], Scratch, TimeSpan.FromMinutes(2));
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Scratch))
            Directory.Delete(Scratch, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>A new empty folder under the scratch folder.</summary>
    public string NewFolder(string purpose) =>
        Directory.CreateDirectory(Path.Combine(Scratch, purpose + "-" + Guid.NewGuid().ToString("n")[..8])).FullName;

    /// <summary>Runs a program to its end and fails with its output unless it exits 0.</summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan deadline, Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        configure?.Invoke(start);
        var result = await ChildProcess.RunAsync(start, deadline, TestContext.Current.CancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        return result;
    }

    /// <summary>A dotnet command started from the tests runs with its own MSBuild, not the test host's settings.</summary>
    public static void WithoutTestHostMsBuild(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Threadline.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Threadline.slnx above {AppContext.BaseDirectory}");
    }
}
