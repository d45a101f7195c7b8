using System.Text.Json;
using Threadline.Bench.Floor;
using Threadline.Bench.Load;
using Threadline.Bench.Measure;
using Threadline.Bench.Receivers;
using Threadline.Bench.Report;
using Threadline.Bench.Workload;

namespace Threadline.Bench.Suites;

/// <summary>
/// 1. Ingest cost and 4. stitch lag: the same pre-encoded load, sent to Threadline, to the Aspire dashboard,
/// and written by the DuckDB appender alone (the floor); CPU from each process's own accounting.
/// </summary>
internal static class IngestSuite
{
    private const double Million = 1_000_000;

    public static async Task RunAsync(BenchSettings settings, Results results)
    {
        var options = WorkloadOptions.EndingNow(seed: 1, payloads: true, settings.IngestSpans, TimeSpan.FromMinutes(10));
        Console.WriteLine($"== ingest: encoding {settings.IngestSpans:N0} spans (and {settings.WarmupSpans:N0} for {settings.WarmupSeconds} s of warm-up)");
        var load = EncodedLoad.Build(options, settings.IngestSpans);
        var warmup = EncodedLoad.Build(options with { Seed = 2 }, settings.WarmupSpans);
        results.Add(new Figure("ingest.load.spans", "ingest", "load: spans (+ log records)", load.Spans, $"spans, {load.Logs:N0} logs, {load.Transactions:N0} transactions"));
        results.Add(new Figure("ingest.load.bytes_per_span", "ingest", "load: OTLP protobuf bytes per span", (double)load.Bytes / load.Spans, "B"));

        var duckDbData = Path.Combine(settings.WorkDirectory, "ingest-threadline");
        var threadline = await MeasureThreadlineAsync("threadline", "threadline (DuckDB)", "stitch",
            () => ThreadlineReceiver.StartAsync(duckDbData, TimeSpan.FromMinutes(2)), settings, load, warmup, results);
        await IngestQueries.MeasureAsync("ingest_duckdb", "ingested store, DuckDB", () => ThreadlineReceiver.StartAsync(duckDbData, TimeSpan.FromMinutes(5)),
            settings, load, options, results);
        // A ClickHouse run that fails leaves the Aspire and floor figures to measure; the step still fails at its end.
        Exception? clickHouseFailure = null;
        try
        {
            var (clickHouse, scaleOutFailure) = await ClickHouseIngest.RunAsync(settings, options, load, warmup, results);
            AddClickHouseRatios(clickHouse, threadline, results);
            clickHouseFailure = scaleOutFailure;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"!! ingest on ClickHouse failed: {e}");
            clickHouseFailure = e;
        }
        if (RepoPaths.BaselineExecutable is { } baseline)
        {
            var data = Path.Combine(settings.WorkDirectory, "ingest-baseline");
            var before = await MeasureAsync("baseline", "baseline", async () => await ThreadlineReceiver.StartAsync(data, TimeSpan.FromMinutes(2), baseline),
                settings, load, warmup, results);
            results.Add(new Figure("ingest.ratio.threadline_to_baseline", "ingest", "CPU per span, Threadline / baseline build", threadline.CpuSecondsPerSpan / before.CpuSecondsPerSpan, "×",
                Note: baseline));
        }
        var aspireLoad = load.Prefix(settings.AspireSpans);
        var aspire = await MeasureAsync("aspire", "aspire", async () => await AspireReceiver.StartAsync(TimeSpan.FromSeconds(60)), settings, aspireLoad, warmup, results);
        var floor = await MeasureFloorAsync(settings, options, results);

        results.Add(new Figure("ingest.ratio.threadline_to_aspire", "ingest", "CPU per span, Threadline / Aspire", threadline.CpuSecondsPerSpan / aspire.CpuSecondsPerSpan, "×",
            0.2, Goal.AtMost, "target: ≥ 5× less CPU than Aspire"));
        results.Add(new Figure("ingest.ratio.threadline_to_floor", "ingest", "CPU per span, Threadline / floor", threadline.CpuSecondsPerSpan / floor, "×"));
        if (clickHouseFailure is not null)
            throw new InvalidOperationException($"Threadline on ClickHouse: {clickHouseFailure.Message}", clickHouseFailure);
    }

    private static void AddClickHouseRatios(IngestCost clickHouse, IngestCost duckDb, Results results)
    {
        results.Add(new Figure("ingest.ratio.clickhouse_to_duckdb", "ingest", "CPU per span, Threadline + ClickHouse / Threadline on DuckDB",
            clickHouse.CpuSecondsPerSpan / duckDb.CpuSecondsPerSpan, "×", Note: "same load, same run"));
        results.Add(new Figure("ingest.ratio.clickhouse_to_duckdb_threadline_only", "ingest", "CPU per span, Threadline's process on ClickHouse / on DuckDB",
            clickHouse.ReceiverCpuSecondsPerSpan / duckDb.ReceiverCpuSecondsPerSpan, "×", Note: "without the ClickHouse server's CPU"));
        results.Add(new Figure("ingest.ratio.clickhouse_to_duckdb_spans_per_s", "ingest", "spans/s, on ClickHouse / on DuckDB",
            clickHouse.SpansPerSecond / duckDb.SpansPerSecond, "×"));
        results.Add(new Figure("ingest.ratio.clickhouse_to_duckdb_peak_rss", "ingest", "peak RSS, Threadline + ClickHouse / Threadline on DuckDB",
            clickHouse.PeakRssMegabytes / duckDb.PeakRssMegabytes, "×"));
    }

    /// <summary>Threadline with the stitch lag probe during the load and the stitching check after it; <paramref name="store"/> is a server it stores into.</summary>
    internal static async Task<IngestCost> MeasureThreadlineAsync(string name, string label, string stitchKey, Func<Task<ThreadlineReceiver>> start,
        BenchSettings settings, EncodedLoad load, EncodedLoad warmup, Results results, StoreProcess? store = null,
        Func<ThreadlineReceiver, Task>? afterChecks = null)
    {
        StitchLagProbe? probe = null;
        var cost = await MeasureAsync(name, label, async () => await start(), settings, load, warmup, results,
            during: receiver =>
            {
                probe = new StitchLagProbe(receiver.OtlpHttp, ((ThreadlineReceiver)receiver).Api);
                return probe.RunAsync;
            },
            after: async receiver =>
            {
                await VerifyStitchingAsync((ThreadlineReceiver)receiver, load, results, stitchKey, label);
                if (afterChecks is not null)
                    await afterChecks((ThreadlineReceiver)receiver);
            },
            store);
        results.Add(new Figure($"{stitchKey}.lag_p50_ms", "stitch lag", $"{label}: stitch lag p50 (2nd side sent → hop in API)", Percentiles.Of(probe!.LagsMs, 50), "ms",
            Note: $"{probe.LagsMs.Count} hops probed under the ingest load, {probe.TimedOut} not linked in 60 s"));
        results.Add(new Figure($"{stitchKey}.lag_p99_ms", "stitch lag", $"{label}: stitch lag p99", Percentiles.Of(probe.LagsMs, 99), "ms", 1000, Goal.AtMost));
        return cost;
    }

    /// <summary>
    /// Warm-up load, then the measured load; CPU and RSS from /proc of the receiver's process, and of the
    /// <paramref name="store"/> server's over the same window (from the load's start to its end, and from after the
    /// checks until it settled after the receiver's exit).
    /// </summary>
    private static async Task<IngestCost> MeasureAsync(string name, string label, Func<Task<IReceiver>> start, BenchSettings settings, EncodedLoad load, EncodedLoad warmup,
        Results results, Func<IReceiver, Func<CancellationToken, Task>>? during = null, Func<IReceiver, Task>? after = null, StoreProcess? store = null)
    {
        Console.WriteLine($"== ingest: {label}");
        await using var receiver = await start();
        var warm = await LoadSender.SendAsync(receiver.OtlpHttp, warmup.Requests, settings.Connections, settings.RateSpansPerSecond, CancellationToken.None,
            TimeSpan.FromSeconds(settings.WarmupSeconds));
        if (warm.Failures > 0)
            throw new InvalidOperationException($"{name} refused the warm-up load: {warm.FirstFailure}");

        var pid = receiver.Process.Pid;
        var cpuBefore = ProcessAccounting.CpuSeconds(pid);
        var storeBefore = store is null ? 0 : ProcessAccounting.CpuSeconds(store.Process.Pid);
        using var stop = new CancellationTokenSource();
        var side = during?.Invoke(receiver)(stop.Token) ?? Task.CompletedTask;
        var result = await LoadSender.SendAsync(receiver.OtlpHttp, load.Requests, settings.Connections, settings.RateSpansPerSecond, CancellationToken.None);
        await stop.CancelAsync();
        await side;
        var cpuAtEnd = ProcessAccounting.CpuSeconds(pid);
        var storeAtEnd = store is null ? 0 : ProcessAccounting.CpuSeconds(store.Process.Pid);
        var rss = ProcessAccounting.PeakRssMegabytes(pid);
        if (result.Failures > 0)
            throw new InvalidOperationException($"{name} refused {result.Failures} requests: {result.FirstFailure}");
        if (after is not null)
            await after(receiver);
        // Work a receiver defers (the store's last checkpoint) is done at shutdown: count it, not the checks' queries.
        var cpuAfterChecks = ProcessAccounting.CpuSeconds(pid);
        var storeAfterChecks = store is null ? 0 : ProcessAccounting.CpuSeconds(store.Process.Pid);
        var shutdown = await receiver.Process.StopAndReadFinalCpuAsync() - cpuAfterChecks;
        var cpu = cpuAtEnd - cpuBefore + shutdown;
        var storeCpu = 0.0;
        var storeRss = 0.0;
        var settled = "";
        if (store is not null)
        {
            // The server's merges of what was inserted are its deferred work, as DuckDB's checkpoint is Threadline's.
            settled = await store.SettleAsync();
            storeCpu = storeAtEnd - storeBefore + ProcessAccounting.CpuSeconds(store.Process.Pid) - storeAfterChecks;
            storeRss = ProcessAccounting.PeakRssMegabytes(store.Process.Pid);
        }

        var perMillion = (cpu + storeCpu) / result.Spans * Million;
        var work = $"{result.Spans:N0} spans and {result.Logs:N0} logs";
        results.Add(new Figure($"ingest.{name}.cpu_s_per_1m_spans", "ingest", $"{label}: CPU-seconds per 1M spans{(store is null ? "" : $" (Threadline + {store.Name})")}", perMillion, "CPU-s",
            name == "threadline" ? 3 : null, Goal.AtMost,
            store is null
                ? $"{cpu:F1} CPU-s for {work}, {shutdown:F1} of it at shutdown"
                : $"{cpu + storeCpu:F1} CPU-s for {work}: Threadline {cpu:F1} ({shutdown:F1} at shutdown), {store.Name} {storeCpu:F1} ({settled})"));
        if (store is not null)
        {
            results.Add(new Figure($"ingest.{name}.threadline_cpu_s_per_1m_spans", "ingest", $"{label}: Threadline's process, CPU-s per 1M spans", cpu / result.Spans * Million, "CPU-s"));
            results.Add(new Figure($"ingest.{name}.server_cpu_s_per_1m_spans", "ingest", $"{label}: {store.Name}'s process, CPU-s per 1M spans", storeCpu / result.Spans * Million, "CPU-s"));
        }
        results.Add(new Figure($"ingest.{name}.spans_per_s", "ingest", $"{label}: spans/s sustained", result.SpansPerSecond, "spans/s",
            Note: $"{settings.Connections} connections, {result.Retries} retries after 503"));
        results.Add(new Figure($"ingest.{name}.peak_rss_mb", "ingest", $"{label}: peak RSS{(store is null ? "" : " of Threadline")}", rss, "MB"));
        if (store is not null)
            results.Add(new Figure($"ingest.{name}.server_peak_rss_mb", "ingest", $"{label}: peak RSS of {store.Name}", storeRss, "MB", Note: "VmHWM after its merges settled"));
        return new IngestCost((cpu + storeCpu) / result.Spans, cpu / result.Spans, result.SpansPerSecond, rss + storeRss);
    }

    /// <summary>Checks that the stitcher really linked the generated hops: sampled transactions have every invocation.</summary>
    internal static async Task VerifyStitchingAsync(ThreadlineReceiver receiver, EncodedLoad load, Results results, string stitchKey, string label)
    {
        using var http = new HttpClient { BaseAddress = receiver.Api };
        var sample = load.Sample.Items.Take(100).ToList();
        var complete = 0;
        foreach (var transaction in sample)
        {
            using var response = await http.GetAsync($"/api/transactions/{transaction.Id}");
            if (!response.IsSuccessStatusCode)
                continue;
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            if (json.RootElement.GetProperty("invocations").GetArrayLength() == transaction.InvocationCount)
                complete++;
        }
        results.Add(new Figure($"{stitchKey}.complete_transactions_pct", "stitch lag", $"{label}: sampled transactions stitched complete", 100.0 * complete / sample.Count, "%",
            100, Goal.AtLeast, $"{sample.Count} random transactions of 3–30 invocations"));
    }

    private static async Task<double> MeasureFloorAsync(BenchSettings settings, WorkloadOptions options, Results results)
    {
        Console.WriteLine("== ingest: floor (DuckDB appender alone)");
        var data = Path.Combine(settings.WorkDirectory, "ingest-floor");
        var group = settings.Connections * options.SpansPerRequest;
        await using var floor = ChildProcess.Start("dotnet",
            [RepoPaths.BenchDll, "floor", "--data", data, "--spans", settings.IngestSpans.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--seed", options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--start", options.StartUnixNano.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--spacing", options.SpacingNanos.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--group", group.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, "floor");
        var line = await floor.WaitForLineAsync(l => l.StartsWith(FloorCommand.ResultPrefix, StringComparison.Ordinal), TimeSpan.FromMinutes(20));
        var result = JsonSerializer.Deserialize<FloorResult>(line[FloorCommand.ResultPrefix.Length..])!;
        results.Add(new Figure("ingest.floor.cpu_s_per_1m_spans", "ingest", "floor: CPU-seconds per 1M spans", result.CpuSeconds / result.Spans * Million, "CPU-s",
            Note: $"same rows, appender + commit every {group} records, JSON precomputed"));
        results.Add(new Figure("ingest.floor.spans_per_s", "ingest", "floor: spans/s", result.Spans / result.Seconds, "spans/s"));
        return result.CpuSeconds / result.Spans;
    }
}
