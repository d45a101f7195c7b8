using System.Diagnostics;
using System.Globalization;
using Threadline.Bench.Measure;
using Threadline.Bench.Receivers;
using Threadline.Bench.Report;
using Threadline.Bench.Suites;

namespace Threadline.Bench;

/// <summary>Runs the suites in order, prints one table and writes bench/results/latest.json.</summary>
internal static class SuiteRunner
{
    private static readonly string[] AllSuites = ["ingest", "storage", "query", "tracer"];

    public static async Task<int> RunAsync(bool quick, string[]? only, long[]? querySizes = null, bool storeOnly = false)
    {
        var work = Path.Combine(Path.GetTempPath(), $"threadline-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        var settings = BenchSettings.Create(quick, work);
        if (querySizes is { Length: > 0 })
            settings = settings with { QuerySizes = querySizes };
        settings = settings with { QueryStoreOnly = storeOnly };
        var results = new Results();
        var clock = Stopwatch.StartNew();
        results.Info("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        results.Info("mode", quick ? "quick" : "full");
        results.Info("machine", Machine());
        results.Info("load average at start", ProcessAccounting.LoadAverage().ToString("F2", CultureInfo.InvariantCulture));
        var failed = new List<string>();
        try
        {
            foreach (var suite in AllSuites.Where(s => only is null || only.Contains(s)))
            {
                try
                {
                    await (suite switch
                    {
                        "ingest" => IngestSuite.RunAsync(settings, results),
                        "storage" => QuerySuite.RunStorageAsync(settings, results),
                        "query" => QuerySuite.RunQueriesAsync(settings, results),
                        _ => TracerSuite.RunAsync(settings, results),
                    });
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"!! {suite} failed: {e}");
                    failed.Add(suite);
                    results.Info($"failed: {suite}", e.Message.Split('\n')[0]);
                }
            }
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("THREADLINE_BENCH_KEEP") != "1")
                Directory.Delete(work, recursive: true);
        }
        results.Info("load average at end", ProcessAccounting.LoadAverage().ToString("F2", CultureInfo.InvariantCulture));
        results.Info("duration", $"{clock.Elapsed.TotalMinutes:F1} min");
        Console.WriteLine();
        Console.WriteLine(results.Table());
        var json = Path.Combine(RepoPaths.Results, "latest.json");
        results.WriteJson(json);
        Console.WriteLine($"Figures written to {Path.GetRelativePath(RepoPaths.Root, json)}");
        return failed.Count == 0 ? 0 : 1;
    }

    private static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores ({model}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024} GB RAM");
    }
}
