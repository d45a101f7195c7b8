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

        var threadline = await MeasureThreadlineAsync(settings, load, warmup, results);
        if (RepoPaths.BaselineExecutable is { } baseline)
        {
            var data = Path.Combine(settings.WorkDirectory, "ingest-baseline");
            var before = await MeasureAsync("baseline", async () => await ThreadlineReceiver.StartAsync(data, TimeSpan.FromMinutes(2), baseline),
                settings, load, warmup, results);
            results.Add(new Figure("ingest.ratio.threadline_to_baseline", "ingest", "CPU per span, Threadline / baseline build", threadline / before, "×",
                Note: baseline));
        }
        var aspireLoad = load.Prefix(settings.AspireSpans);
        var aspire = await MeasureAsync("aspire", async () => await AspireReceiver.StartAsync(TimeSpan.FromSeconds(60)), settings, aspireLoad, warmup, results);
        var floor = await MeasureFloorAsync(settings, options, results);

        results.Add(new Figure("ingest.ratio.threadline_to_aspire", "ingest", "CPU per span, Threadline / Aspire", threadline / aspire, "×",
            0.2, Goal.AtMost, "target: ≥ 5× less CPU than Aspire"));
        results.Add(new Figure("ingest.ratio.threadline_to_floor", "ingest", "CPU per span, Threadline / floor", threadline / floor, "×"));
    }

    private static async Task<double> MeasureThreadlineAsync(BenchSettings settings, EncodedLoad load, EncodedLoad warmup, Results results)
    {
        var data = Path.Combine(settings.WorkDirectory, "ingest-threadline");
        StitchLagProbe? probe = null;
        var cpu = await MeasureAsync("threadline", async () => await ThreadlineReceiver.StartAsync(data, TimeSpan.FromMinutes(2)), settings, load, warmup, results,
            during: receiver =>
            {
                probe = new StitchLagProbe(receiver.OtlpHttp, ((ThreadlineReceiver)receiver).Api);
                return probe.RunAsync;
            },
            after: receiver => VerifyStitchingAsync((ThreadlineReceiver)receiver, load, results));
        results.Add(new Figure("stitch.lag_p50_ms", "stitch lag", "stitch lag p50 (2nd side sent → hop in API)", Percentiles.Of(probe!.LagsMs, 50), "ms",
            Note: $"{probe.LagsMs.Count} hops probed under the ingest load, {probe.TimedOut} not linked in 60 s"));
        results.Add(new Figure("stitch.lag_p99_ms", "stitch lag", "stitch lag p99", Percentiles.Of(probe.LagsMs, 99), "ms", 1000, Goal.AtMost));
        return cpu;
    }

    /// <summary>Warm-up load, then the measured load; CPU and RSS from /proc of the receiver's process. Returns CPU-s per span.</summary>
    private static async Task<double> MeasureAsync(string name, Func<Task<IReceiver>> start, BenchSettings settings, EncodedLoad load, EncodedLoad warmup,
        Results results, Func<IReceiver, Func<CancellationToken, Task>>? during = null, Func<IReceiver, Task>? after = null)
    {
        Console.WriteLine($"== ingest: {name}");
        await using var receiver = await start();
        var warm = await LoadSender.SendAsync(receiver.OtlpHttp, warmup.Requests, settings.Connections, settings.RateSpansPerSecond, CancellationToken.None,
            TimeSpan.FromSeconds(settings.WarmupSeconds));
        if (warm.Failures > 0)
            throw new InvalidOperationException($"{name} refused the warm-up load: {warm.FirstFailure}");

        var pid = receiver.Process.Pid;
        var cpuBefore = ProcessAccounting.CpuSeconds(pid);
        using var stop = new CancellationTokenSource();
        var side = during?.Invoke(receiver)(stop.Token) ?? Task.CompletedTask;
        var result = await LoadSender.SendAsync(receiver.OtlpHttp, load.Requests, settings.Connections, settings.RateSpansPerSecond, CancellationToken.None);
        await stop.CancelAsync();
        await side;
        var cpuAtEnd = ProcessAccounting.CpuSeconds(pid);
        var rss = ProcessAccounting.PeakRssMegabytes(pid);
        if (result.Failures > 0)
            throw new InvalidOperationException($"{name} refused {result.Failures} requests: {result.FirstFailure}");
        if (after is not null)
            await after(receiver);
        // Work a receiver defers (the store's last checkpoint) is done at shutdown: count it, not the checks' queries.
        var cpuAfterChecks = ProcessAccounting.CpuSeconds(pid);
        var shutdown = await receiver.Process.StopAndReadFinalCpuAsync() - cpuAfterChecks;
        var cpu = cpuAtEnd - cpuBefore + shutdown;

        var perMillion = cpu / result.Spans * Million;
        results.Add(new Figure($"ingest.{name}.cpu_s_per_1m_spans", "ingest", $"{name}: CPU-seconds per 1M spans", perMillion, "CPU-s",
            name == "threadline" ? 3 : null, Goal.AtMost,
            $"{cpu:F1} CPU-s for {result.Spans:N0} spans and {result.Logs:N0} logs, {shutdown:F1} of it at shutdown"));
        results.Add(new Figure($"ingest.{name}.spans_per_s", "ingest", $"{name}: spans/s sustained", result.SpansPerSecond, "spans/s",
            Note: $"{settings.Connections} connections, {result.Retries} retries after 503"));
        results.Add(new Figure($"ingest.{name}.peak_rss_mb", "ingest", $"{name}: peak RSS", rss, "MB"));
        return cpu / result.Spans;
    }

    /// <summary>Checks that the stitcher really linked the generated hops: sampled transactions have every invocation.</summary>
    private static async Task VerifyStitchingAsync(ThreadlineReceiver receiver, EncodedLoad load, Results results)
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
        results.Add(new Figure("stitch.complete_transactions_pct", "stitch lag", "sampled transactions stitched complete", 100.0 * complete / sample.Count, "%",
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
