using System.Diagnostics;
using System.Globalization;
using Threadline.Bench.Measure;
using Threadline.Bench.Receivers;
using Threadline.Bench.Report;
using Threadline.Bench.Workload;
using DuckDB.NET.Data;
using Threadline.Storage.DuckDb;
using System.Text.Json;

namespace Threadline.Bench.Suites;

/// <summary>2. Storage (bytes per span after a checkpoint) and 3. queries through the HTTP API on preloaded stores.</summary>
internal static class QuerySuite
{
    public static async Task RunStorageAsync(BenchSettings settings, Results results)
    {
        foreach (var payloads in new[] { false, true })
        {
            var name = payloads ? "with_payloads" : "without_payloads";
            Console.WriteLine($"== storage: {settings.StorageSpans:N0} spans {name.Replace('_', ' ')}");
            var data = Path.Combine(settings.WorkDirectory, "storage-" + name);
            var options = WorkloadOptions.EndingNow(seed: 3, payloads, settings.StorageSpans, TimeSpan.FromHours(1));
            await Preloader.LoadAsync(data, options, settings.StorageSpans);
            var bytes = Preloader.BytesOnDisk(data);
            results.Add(new Figure($"storage.bytes_per_span_{name}", "storage", $"bytes per span on disk, {name.Replace('_', ' ')}",
                (double)bytes / settings.StorageSpans, "B", payloads ? null : 40, Goal.AtMost,
                $"{bytes / 1e6:F1} MB for {settings.StorageSpans:N0} spans after CHECKPOINT"));
            Directory.Delete(data, recursive: true);
        }
    }

    public static async Task RunQueriesAsync(BenchSettings settings, Results results)
    {
        double? rssPerSpan = null;
        foreach (var size in settings.QuerySizes)
        {
            var label = size >= 1_000_000 ? $"{size / 1_000_000}m" : $"{size / 1000}k";
            var data = Path.Combine(settings.WorkDirectory, "query-" + label);
            var options = WorkloadOptions.EndingNow(seed: 4, payloads: true, size, TimeSpan.FromHours(24));
            // The server rebuilds its stitcher in memory at start; when that cannot fit, only the store is measured.
            var needed = rssPerSpan * size;
            var fits = !settings.QueryStoreOnly && (needed is not { } bytes || bytes < 0.8 * AvailableBytes());
            Console.WriteLine($"== queries: preloading {size:N0} spans");
            var clock = Stopwatch.StartNew();
            var sample = await Preloader.LoadAsync(data, options, size);
            Console.WriteLine($"   preloaded in {clock.Elapsed.TotalSeconds:F0} s ({Preloader.BytesOnDisk(data) / 1e6:F0} MB)");

            if (fits)
            {
                await using var server = await ThreadlineReceiver.StartAsync(data, TimeSpan.FromMinutes(30));
                var rss = ProcessAccounting.PeakRssMegabytes(server.Process.Pid);
                rssPerSpan = rss * 1024 * 1024 / size;
                results.Add(new Figure($"query.{label}.server_start_s", "queries", $"{label} spans: server start until OTLP and the API answer",
                    server.StartTime.TotalSeconds, "s", Note: $"peak RSS {rss:F0} MB after start"));
                // The preloader writes spans straight into the store, as a folder from before the derived state was
                // stored: the server derives it in the background. The queries are measured once that is done.
                clock.Restart();
                await WaitForDerivationAsync(server.Api, TimeSpan.FromMinutes(60));
                results.Add(new Figure($"query.{label}.derivation_s", "queries", $"{label} spans: background derivation of a folder without derived state",
                    clock.Elapsed.TotalSeconds, "s", Note: $"peak RSS {ProcessAccounting.PeakRssMegabytes(server.Process.Pid):F0} MB after it"));
                await MeasureAsync(server.Api, settings, sample.Items, label, size, results, options, withSearch: true);
            }
            else
            {
                var note = settings.QueryStoreOnly ? "server not started: --store-only" : $"server not started: rebuilding the stitcher would need ~{needed / 1e9:F0} GB ({rssPerSpan / 1024:F1} KB per span at the previous size), {AvailableBytes() / 1e9:F0} GB available";
                Console.WriteLine("   " + note);
                results.Add(new Figure($"query.{label}.server_start_s", "queries", $"{label} spans: server start", double.NaN, "s", Note: note));
                await MeasureStoreOnlyAsync(data, settings, sample.Items, label, results);
            }
            // THREADLINE_BENCH_KEEP=1 keeps the preloaded stores, to start a server on one by hand (e.g. under a profiler).
            if (Environment.GetEnvironmentVariable("THREADLINE_BENCH_KEEP") == "1")
                Console.WriteLine($"   kept {data}");
            else
                Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Trace by id straight from the store, in this process (no HTTP, no stitcher): what the API's trace query costs at
    /// this size. Beside it, query by query on the same traces, the query of schema version 1 (a scan of the whole
    /// trace_id column, before trace_index), so the two are compared under the same load.
    /// </summary>
    private static async Task MeasureStoreOnlyAsync(string data, BenchSettings settings, List<SampledTransaction> sample, string label, Results results)
    {
        await using var store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = data });
        using var scan = new DuckDBConnection(DuckDbFileFormat.ConnectionString(new DuckDbStoreOptions { DataDirectory = data }.DatabasePath));
        scan.Open();
        var random = new Random(5);
        var indexed = new List<double>(settings.QueriesPerKind);
        var scanned = new List<double>(settings.QueriesPerKind);
        // Process CPU (utime + stime) around each query as well: on a loaded machine wall time is mostly waiting for a
        // core, CPU time is what the query costs. /proc counts 10 ms ticks, so only the mean over many queries means much.
        var pid = Environment.ProcessId;
        double indexedCpu = 0, scannedCpu = 0;
        for (var i = -5; i < settings.QueriesPerKind; i++)
        {
            var t = sample[random.Next(sample.Count)];
            var traceId = t.TraceIds[random.Next(t.TraceIds.Length)];
            var cpu = ProcessAccounting.CpuSeconds(pid);
            var clock = Stopwatch.StartNew();
            var spans = await store.GetTraceAsync(traceId, CancellationToken.None);
            var indexedMs = clock.Elapsed.TotalMilliseconds;
            var cpuAfterIndexed = ProcessAccounting.CpuSeconds(pid);
            if (spans.Count == 0)
                throw new InvalidOperationException("A sampled trace was not found in the store.");
            clock.Restart();
            var rows = ScanWithoutIndex(scan, traceId);
            var scannedMs = clock.Elapsed.TotalMilliseconds;
            var cpuAfterScan = ProcessAccounting.CpuSeconds(pid);
            if (rows != spans.Count)
                throw new InvalidOperationException($"The version-1 query found {rows} spans where the store found {spans.Count}.");
            if (i < 0)
                continue;
            indexed.Add(indexedMs);
            scanned.Add(scannedMs);
            indexedCpu += cpuAfterIndexed - cpu;
            scannedCpu += cpuAfterScan - cpuAfterIndexed;
        }
        results.Add(new Figure($"query.{label}.trace_store_p50_ms", "queries", $"{label} spans: trace by id p50, store only", Percentiles.Of(indexed, 50), "ms"));
        results.Add(new Figure($"query.{label}.trace_store_p99_ms", "queries", $"{label} spans: trace by id p99, store only", Percentiles.Of(indexed, 99), "ms",
            20, Goal.AtMost, "GetTraceAsync in process: the API adds HTTP and JSON"));
        results.Add(new Figure($"query.{label}.trace_store_cpu_ms", "queries", $"{label} spans: trace by id CPU per query, store only",
            indexedCpu * 1000 / indexed.Count, "ms", Note: "mean process CPU (utime+stime) per query: less sensitive to the machine's load than wall time"));
        results.Add(new Figure($"query.{label}.trace_scan_cpu_ms", "queries", $"{label} spans: trace by id CPU per query, version-1 scan",
            scannedCpu * 1000 / scanned.Count, "ms"));
        results.Add(new Figure($"query.{label}.trace_scan_p50_ms", "queries", $"{label} spans: trace by id p50, version-1 scan", Percentiles.Of(scanned, 50), "ms",
            Note: "same traces, interleaved: the query before trace_index (rows read, not decoded)"));
        results.Add(new Figure($"query.{label}.trace_scan_p99_ms", "queries", $"{label} spans: trace by id p99, version-1 scan", Percentiles.Of(scanned, 99), "ms"));
    }

    private static int ScanWithoutIndex(DuckDBConnection connection, UInt128 traceId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT * FROM spans WHERE trace_id = $trace_id
            QUALIFY row_number() OVER (PARTITION BY span_id ORDER BY start_time_unix_nano) = 1
            ORDER BY start_time_unix_nano, span_id
            """;
        command.Parameters.Add(new DuckDBParameter("trace_id", (System.Numerics.BigInteger)(Int128)traceId));
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            for (var column = 0; column < reader.FieldCount; column++)
                _ = reader.GetValue(column);
            rows++;
        }
        return rows;
    }

    /// <summary>Waits until <c>/api/health</c> says every derived part is done (stitching, analysis, search).</summary>
    internal static async Task WaitForDerivationAsync(Uri api, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(1) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/health"));
            var state = health.RootElement.GetProperty("derivation").GetProperty("state").GetString();
            if (state == "done")
                return;
            if (state == "failed")
                throw new InvalidOperationException("The server's background derivation failed: " + health.RootElement.GetProperty("derivation"));
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"The server's background derivation was not done after {timeout}: {health.RootElement.GetProperty("derivation")}");
            await Task.Delay(500);
        }
    }

    private static double AvailableBytes()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <param name="label">The figures' keys are query.LABEL.*; <paramref name="text"/> names them in the table (default "LABEL spans").</param>
    /// <param name="withSearch">Also issue 16's search queries (<see cref="SearchLatency"/>): on the preloaded stores, whose data spans 24 hours.</param>
    internal static async Task MeasureAsync(Uri api, BenchSettings settings, List<SampledTransaction> sample, string label, long size,
        Results results, WorkloadOptions options, string? text = null, bool withSearch = false)
    {
        text ??= $"{label} spans";
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(1) };
        var random = new Random(5);
        // The targets are set for 10M spans; they are shown against the largest store of the run.
        var isTarget = size == settings.QuerySizes.Max();
        var note = size >= 10_000_000 ? null : "target is for 10M spans";

        var (trace, _) = await TimeAsync(http, settings.QueriesPerKind, countItems: false, next: () =>
        {
            var t = sample[random.Next(sample.Count)];
            return $"/api/traces/{t.TraceIds[random.Next(t.TraceIds.Length)]:x32}";
        });
        Add(results, label, text, "trace", "trace by id", trace, isTarget ? 20 : null, note);

        var (transaction, _) = await TimeAsync(http, settings.QueriesPerKind, countItems: false, next: () => $"/api/transactions/{sample[random.Next(sample.Count)].Id}");
        Add(results, label, text, "transaction", "transaction by id", transaction, isTarget ? 50 : null, note);

        // A 15-minute window somewhere in the data's 24 hours, the newest 100 transactions in it.
        var window = 15L * 60 * 1_000_000_000;
        var span = options.SpacingNanos * (size / WorkloadOptions.MeanSpansPerTransaction);
        var list = await TimeAsync(http, settings.QueriesPerKind, countItems: true, next: () =>
        {
            var from = options.StartUnixNano + (long)(random.NextDouble() * Math.Max(1, span - window));
            return string.Create(CultureInfo.InvariantCulture, $"/api/transactions?from={from}&to={from + window}&limit=100");
        });
        Add(results, label, text, "list", "transaction list, 15-min range", list.Latencies, null,
            $"{(double)list.Items / settings.QueriesPerKind:F0} transactions per answer on average (limit 100)");
        if (withSearch)
            await SearchLatency.MeasureAsync(http, settings, label, text, options, isTarget, note, results);
    }

    internal static void Add(Results results, string label, string text, string key, string what, List<double> latencies, double? p99Target, string? note)
    {
        results.Add(new Figure($"query.{label}.{key}_p50_ms", "queries", $"{text}: {what} p50", Percentiles.Of(latencies, 50), "ms"));
        results.Add(new Figure($"query.{label}.{key}_p95_ms", "queries", $"{text}: {what} p95", Percentiles.Of(latencies, 95), "ms"));
        results.Add(new Figure($"query.{label}.{key}_p99_ms", "queries", $"{text}: {what} p99", Percentiles.Of(latencies, 99), "ms",
            p99Target, p99Target is null ? Goal.None : Goal.AtMost, note));
    }

    /// <summary>Sequential requests (after a few unmeasured ones); every answer must be a 200.</summary>
    internal static async Task<(List<double> Latencies, long Items)> TimeAsync(HttpClient http, int count, bool countItems, Func<string> next)
    {
        for (var i = 0; i < 5; i++)
            (await http.GetAsync(next())).Dispose();
        var latencies = new List<double>(count);
        long items = 0;
        for (var i = 0; i < count; i++)
        {
            var path = next();
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            if (countItems)
            {
                using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
                items += json.RootElement.GetProperty("transactions").GetArrayLength();
            }
        }
        return (latencies, items);
    }
}
