using System.Diagnostics;
using System.Text.RegularExpressions;
using Threadline.Bench.Measure;

namespace Threadline.Bench.Receivers;

/// <summary>The real <c>threadline serve</c> (Release build) on a data folder: stitching on, every 200 durable.</summary>
internal sealed partial class ThreadlineReceiver : IReceiver
{
    private ThreadlineReceiver(ChildProcess process, Uri otlpHttp, Uri api, TimeSpan startTime)
    {
        Process = process;
        OtlpHttp = otlpHttp;
        Api = api;
        StartTime = startTime;
    }

    public string Name => "threadline";

    public ChildProcess Process { get; }

    public Uri OtlpHttp { get; }

    public Uri Api { get; }

    /// <summary>From starting the process to its listeners being up (includes rebuilding the stitcher from the store).</summary>
    public TimeSpan StartTime { get; }

    /// <param name="store">Options naming another store than DuckDB in the data folder, e.g. <see cref="ClickHouse"/>.</param>
    public static async Task<ThreadlineReceiver> StartAsync(string dataDirectory, TimeSpan timeout, string? executable = null, IEnumerable<string>? store = null)
    {
        var clock = Stopwatch.StartNew();
        var process = ChildProcess.Start(executable ?? RepoPaths.ThreadlineExecutable,
            ["serve", "--data", dataDirectory, "--api-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", .. store ?? []], null, "threadline serve");
        try
        {
            var otlp = await process.WaitForLineAsync(l => l.Contains("OTLP/HTTP:", StringComparison.Ordinal), timeout).ConfigureAwait(false);
            var started = clock.Elapsed;
            var api = await process.WaitForLineAsync(l => l.Contains("UI and API:", StringComparison.Ordinal), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return new ThreadlineReceiver(process, new Uri(Url().Match(otlp).Value), new Uri(Url().Match(api).Value), started);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The options of <c>threadline serve</c> that keep everything in <paramref name="database"/> of the ClickHouse at <paramref name="url"/>.</summary>
    public static string[] ClickHouse(Uri url, string database) =>
        ["--store", "clickhouse", "--clickhouse-url", url.ToString().TrimEnd('/'), "--clickhouse-database", database];

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    [GeneratedRegex(@"http://[0-9.]+:[0-9]+")]
    private static partial Regex Url();
}
