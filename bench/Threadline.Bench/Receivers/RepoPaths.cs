namespace Threadline.Bench.Receivers;

/// <summary>Where the programs the suite runs are, relative to the repository (bench/run builds them first).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The server under test; THREADLINE_BENCH_SERVER names another build (e.g. of an older commit) to compare.</summary>
    public static string ThreadlineExecutable =>
        Environment.GetEnvironmentVariable("THREADLINE_BENCH_SERVER") is { Length: > 0 } other ? other : Path.Combine(Root, "src/Threadline/bin/Release/net10.0/threadline");

    /// <summary>THREADLINE_BENCH_BASELINE: another build of <c>threadline</c> measured side by side on the same ingest load.</summary>
    public static string? BaselineExecutable => Environment.GetEnvironmentVariable("THREADLINE_BENCH_BASELINE") is { Length: > 0 } path ? path : null;

    public static string TracerBenchmarks => Path.Combine(Root, "bench/Threadline.Tracer.Benchmarks/bin/Release/net10.0/Threadline.Tracer.Benchmarks.dll");

    public static string BenchDll => typeof(RepoPaths).Assembly.Location;

    public static string Results => Path.Combine(Root, "bench/results");

    /// <summary>The Aspire dashboard executable, from the NuGet cache that <c>dotnet restore bench/Threadline.Bench.Aspire</c> filled.</summary>
    public static string AspireDashboard()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget/packages");
        var package = Path.Combine(packages, "aspire.dashboard.sdk.linux-x64");
        var executable = Directory.Exists(package)
            ? Directory.GetDirectories(package).Select(v => Path.Combine(v, "tools/Aspire.Dashboard")).Where(File.Exists).Order().LastOrDefault()
            : null;
        return executable ?? throw new FileNotFoundException(
            $"The Aspire dashboard is not in {package}; run `dotnet restore bench/Threadline.Bench.Aspire` (bench/run does).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Threadline.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Run the suite from inside the Threadline repository (bench/run).");
    }
}
