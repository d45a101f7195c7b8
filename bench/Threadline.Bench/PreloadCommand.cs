using System.Diagnostics;
using Threadline.Bench.Suites;
using Threadline.Bench.Workload;

namespace Threadline.Bench;

/// <summary>
/// `preload --data DIR --spans N`: writes the query step's workload (24 hours ending now, payloads on) straight into a
/// new store folder, without derived state, as a folder of a version before the derived state was stored. A server
/// started on it derives it in the background; this is how the background derivation is measured or profiled by hand.
/// </summary>
internal static class PreloadCommand
{
    public static async Task<int> RunAsync(string dataDirectory, long spans, bool payloads)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            Console.Error.WriteLine($"{dataDirectory} is not empty; preload writes a new store.");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var options = WorkloadOptions.EndingNow(seed: 4, payloads, spans, TimeSpan.FromHours(24));
        await Preloader.LoadAsync(dataDirectory, options, spans);
        Console.WriteLine($"preloaded {spans:N0} spans in {clock.Elapsed.TotalSeconds:F0} s ({Preloader.BytesOnDisk(dataDirectory) / 1e6:F0} MB)");
        return 0;
    }
}
