using System.Text.Json;
using Threadline.Bench.Load;
using Threadline.Bench.Measure;
using Threadline.Bench.Receivers;
using Threadline.Bench.Report;
using Threadline.Bench.Workload;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Bench.Suites;

/// <summary>
/// The ingest step's scale-out run (issue 14): on a fresh database of the bench's ClickHouse, two <c>--role ingest</c>
/// processes and one <c>--role derive,query</c> take the same warm-up and load as the single process, the requests
/// alternating between the two ingest processes (half the connections each, sent at once). CPU of the three processes
/// and the server, throughput, peak RSS per kind of process, the derivation's catch-up after the load and the
/// stitching check through the derive,query process's API; ratios to the single process on ClickHouse.
/// </summary>
internal static class ClickHouseScaleOut
{
    private const string Database = "threadline_ingest_2x";
    private const string Prefix = "ingest.clickhouse_2x";
    private const string Label = "Threadline on ClickHouse, 2 ingest + 1 derive,query";
    private const double Million = 1_000_000;

    /// <summary>
    /// How long the derivation may go without progress (its watermarks, or a page written),
    /// and may take in all to reach the last commit: it derives the parts' reads from ClickHouse, slower than the ingest.
    /// </summary>
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Limit = TimeSpan.FromHours(3);

    public static async Task RunAsync(BenchSettings settings, ClickHouseServerProcess server, ClickHouseClient client, EncodedLoad load, EncodedLoad warmup,
        IngestCost single, Results results)
    {
        Console.WriteLine($"== ingest: {Label}");
        var folder = Path.Combine(settings.WorkDirectory, "ingest-clickhouse-2x");
        Task<ThreadlineReceiver> StartAsync(string name, string role) => ThreadlineReceiver.StartAsync(Path.Combine(folder, name), TimeSpan.FromMinutes(2),
            store: [.. ThreadlineReceiver.ClickHouse(server.Url, Database), "--role", role]);
        // The derive process first, so that it holds the lease before anything is written.
        await using var derive = await StartAsync("derive-query", "derive,query");
        await WaitForLeaseAsync(derive, TimeSpan.FromMinutes(1));
        await using var first = await StartAsync("ingest-1", "ingest");
        await using var second = await StartAsync("ingest-2", "ingest");
        ThreadlineReceiver[] ingest = [first, second];

        var warm = await SendSplitAsync(ingest, warmup, settings, TimeSpan.FromSeconds(settings.WarmupSeconds));
        if (warm.Failures > 0)
            throw new InvalidOperationException($"the ingest processes refused the warm-up load: {warm.FirstFailure}");
        // Each page a part derives is a derived write (a new version in derived_writes), while its watermark moves at the round's end.
        async Task<string> ProgressAsync() => await client.ScalarAsync(
            $"SELECT sum(v) FROM (SELECT part, max(version) AS v FROM {ClickHouseSql.Identifier(Database)}.derived_writes GROUP BY part)",
            CancellationToken.None, database: "default") ?? "";
        // Derived before the window opens, as a role-all process derives its warm-up on its writer loop.
        var warmed = await ClickHouseWaits.DerivedCaughtUpAsync(client, Database, Stall, Limit, ProgressAsync);
        if (!warmed.AtLastCommit)
            throw new InvalidOperationException($"after the warm-up: {warmed.Describe("the warm-up")}");

        var serverRssReset = ProcessAccounting.ResetPeakRss(server.Process.Pid);
        var ingestCpu = ingest.Select(r => new CpuMeter(r.Process)).ToArray();
        var deriveCpu = new CpuMeter(derive.Process);
        var serverCpu = new CpuMeter(server.Process);
        var sent = await SendSplitAsync(ingest, load, settings, null);
        foreach (var meter in ingestCpu)
            meter.Pause();
        var ingestRss = ingest.Select(r => ProcessAccounting.PeakRssMegabytes(r.Process.Pid)).ToArray();
        if (sent.Failures > 0)
            throw new InvalidOperationException($"the ingest processes refused {sent.Failures} requests: {sent.FirstFailure}");
        // Deriving the load is the derive process's part of it (and the server's reads and inserts for it): counted until done.
        var caughtUp = await ClickHouseWaits.DerivedCaughtUpAsync(client, Database, Stall, Limit, ProgressAsync);
        deriveCpu.Pause();
        serverCpu.Pause();
        var deriveRss = ProcessAccounting.PeakRssMegabytes(derive.Process.Pid);
        await IngestSuite.VerifyStitchingAsync(derive, load, results, "stitch.clickhouse_2x", Label);

        // As IngestSuite.MeasureAsync: each process's shutdown counts, the checks' queries do not; the server's merges after.
        CpuMeter[] threadline = [.. ingestCpu, deriveCpu];
        foreach (var meter in threadline.Append(serverCpu))
            meter.Resume();
        var shutdown = 0.0;
        foreach (var meter in threadline)
            shutdown += await meter.StopAsync();
        var settled = await ClickHouseWaits.MergesSettledAsync(client);
        serverCpu.Pause();
        var serverRss = ProcessAccounting.PeakRssMegabytes(server.Process.Pid);

        var ingestSeconds = ingestCpu.Sum(m => m.Seconds);
        var all = ingestSeconds + deriveCpu.Seconds + serverCpu.Seconds;
        double PerMillion(double seconds) => seconds / sent.Spans * Million;
        results.Add(new Figure($"{Prefix}.cpu_s_per_1m_spans", "ingest", $"{Label}: CPU-seconds per 1M spans (3 processes + ClickHouse)", PerMillion(all), "CPU-s",
            Note: $"{all:F1} CPU-s for {sent.Spans:N0} spans and {sent.Logs:N0} logs: ingest {ingestSeconds:F1}, derive,query {deriveCpu.Seconds:F1}, " +
                  $"ClickHouse {serverCpu.Seconds:F1} ({settled}); {shutdown:F1} at the Threadline processes' shutdown"));
        results.Add(new Figure($"{Prefix}.ingest_cpu_s_per_1m_spans", "ingest", $"{Label}: the 2 ingest processes, CPU-s per 1M spans", PerMillion(ingestSeconds), "CPU-s",
            Note: $"{string.Join(" + ", ingestCpu.Select(m => m.Seconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} CPU-s: the load, their shutdown"));
        results.Add(new Figure($"{Prefix}.derive_cpu_s_per_1m_spans", "ingest", $"{Label}: the derive,query process, CPU-s per 1M spans", PerMillion(deriveCpu.Seconds), "CPU-s",
            Note: "from the load's start until the derived parts reached the last commit, its shutdown"));
        results.Add(new Figure($"{Prefix}.server_cpu_s_per_1m_spans", "ingest", $"{Label}: ClickHouse's process, CPU-s per 1M spans", PerMillion(serverCpu.Seconds), "CPU-s",
            Note: "the load and the derivation's catch-up, then from after the stitching check until its merges settled"));
        results.Add(new Figure($"{Prefix}.spans_per_s", "ingest", $"{Label}: spans/s sustained", sent.SpansPerSecond, "spans/s",
            Note: $"all spans / the slower sender's time; 2 × {Connections(settings, ingest)} connections, {sent.Retries} retries after 503"));
        results.Add(new Figure($"{Prefix}.ingest_peak_rss_mb", "ingest", $"{Label}: peak RSS of the 2 ingest processes", ingestRss.Sum(), "MB",
            Note: $"{string.Join(" + ", ingestRss.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} MB"));
        results.Add(new Figure($"{Prefix}.derive_peak_rss_mb", "ingest", $"{Label}: peak RSS of the derive,query process", deriveRss, "MB",
            Note: "VmHWM once the derivation caught up, before the stitching check"));
        results.Add(new Figure($"{Prefix}.server_peak_rss_mb", "ingest", $"{Label}: peak RSS of ClickHouse", serverRss, "MB",
            Note: serverRssReset ? "VmHWM since the load's start (reset), after its merges settled" : "VmHWM over the server's whole run (the reset was refused)"));
        results.Add(new Figure($"{Prefix}.derive_catch_up_s", "ingest", $"{Label}: end of the load → derived parts at the last commit",
            caughtUp.AtLastCommit ? caughtUp.Elapsed.TotalSeconds : double.NaN, "s",
            Note: $"{caughtUp.Describe("the end of the load")}; commits are visible to the derive process ~6 s after they were written"));
        results.Add(new Figure("ingest.ratio.clickhouse_2x_to_clickhouse", "ingest", "CPU per span, 2 ingest + derive,query + ClickHouse / one process + ClickHouse",
            all / sent.Spans / single.CpuSecondsPerSpan, "×", Note: "same load, same run, same ClickHouse server"));
        results.Add(new Figure("ingest.ratio.clickhouse_2x_to_clickhouse_spans_per_s", "ingest", "spans/s, 2 ingest processes / one process on ClickHouse",
            sent.SpansPerSecond / single.SpansPerSecond, "×"));
        if (!caughtUp.AtLastCommit)
            throw new InvalidOperationException($"after the load: {caughtUp.Describe("the end of the load")}");
    }

    private static int Connections(BenchSettings settings, ThreadlineReceiver[] ingest) => Math.Max(1, settings.Connections / ingest.Length);

    /// <summary>
    /// The load's requests alternating between the ingest processes, each its share of the connections and of the rate,
    /// all sent at once; spans/s is all spans over the slower sender's time.
    /// </summary>
    private static async Task<LoadResult> SendSplitAsync(ThreadlineReceiver[] ingest, EncodedLoad load, BenchSettings settings, TimeSpan? duration)
    {
        var parts = await Task.WhenAll(ingest.Select((receiver, i) => LoadSender.SendAsync(receiver.OtlpHttp,
            load.Requests.Where((_, j) => j % ingest.Length == i).ToList(), Connections(settings, ingest), settings.RateSpansPerSecond / ingest.Length,
            CancellationToken.None, duration)));
        return new LoadResult(parts.Max(p => p.Elapsed), parts.Sum(p => p.Spans), parts.Sum(p => p.Logs), parts.Sum(p => p.Retries), parts.Sum(p => p.Failures),
            parts.Select(p => p.FirstFailure).FirstOrDefault(f => f is not null));
    }

    /// <summary>Until the process's <c>/api/health</c> says it holds the derivation lease.</summary>
    private static async Task WaitForLeaseAsync(ThreadlineReceiver derive, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = derive.Api, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var health = JsonDocument.Parse(await http.GetStringAsync("/api/health"));
            if (health.RootElement.TryGetProperty("lease", out var lease) && lease.ValueKind == JsonValueKind.Object && lease.GetProperty("state").GetString() == "held")
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the derive,query process did not take the derivation lease within {timeout}: {health.RootElement}");
            await Task.Delay(200);
        }
    }

    /// <summary>One process's CPU-seconds (/proc) over the windows between <see cref="Resume"/> (or its creation) and <see cref="Pause"/> or <see cref="StopAsync"/>.</summary>
    private sealed class CpuMeter(ChildProcess process)
    {
        private double _since = ProcessAccounting.CpuSeconds(process.Pid);

        public double Seconds { get; private set; }

        public void Pause() => Seconds += ProcessAccounting.CpuSeconds(process.Pid) - _since;

        public void Resume() => _since = ProcessAccounting.CpuSeconds(process.Pid);

        /// <summary>SIGTERM; counts its CPU until its exit (its shutdown) and returns that part.</summary>
        public async Task<double> StopAsync()
        {
            var shutdown = await process.StopAndReadFinalCpuAsync() - _since;
            Seconds += shutdown;
            return shutdown;
        }
    }
}
