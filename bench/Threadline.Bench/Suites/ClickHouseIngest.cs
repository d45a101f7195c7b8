using Threadline.Bench.Load;
using Threadline.Bench.Measure;
using Threadline.Bench.Receivers;
using Threadline.Bench.Report;
using Threadline.Bench.Workload;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Bench.Suites;

/// <summary>
/// The ingest step on ClickHouse: the bench starts its own server, sends the same load to <c>threadline serve --store
/// clickhouse</c> measured as the DuckDB run (the server's process measured with it), then the scale-out run
/// (<see cref="ClickHouseScaleOut"/>, a failure of which is returned), the bytes per span on disk of the single
/// process's database, the query figures on it, and the bytes per span of the same load without payloads sent to a
/// second database.
/// </summary>
internal static class ClickHouseIngest
{
    private const string Database = "threadline_ingest";
    private const string NoPayloadsDatabase = "threadline_ingest_no_payloads";

    public static async Task<(IngestCost Cost, Exception? ScaleOutFailure)> RunAsync(BenchSettings settings, WorkloadOptions options, EncodedLoad load, EncodedLoad warmup, Results results)
    {
        var folder = Path.Combine(settings.WorkDirectory, "ingest-clickhouse");
        await using var server = await ClickHouseServerProcess.StartAsync(Path.Combine(folder, "server"), TimeSpan.FromSeconds(60));
        using var client = new ClickHouseClient(new ClickHouseConnectionOptions { Url = server.Url, Timeout = TimeSpan.FromMinutes(10) });
        var version = await client.ScalarAsync("SELECT version()", CancellationToken.None);
        Console.WriteLine($"== ingest: ClickHouse {version} started (pid {server.Process.Pid}, {server.Url})");
        results.Info("clickhouse", $"{version}, started by the bench on 127.0.0.1, server-level zstd");

        var store = new StoreProcess("ClickHouse", server.Process, () => ClickHouseWaits.MergesSettledAsync(client));
        var derived = "";
        var cost = await IngestSuite.MeasureThreadlineAsync("clickhouse", "Threadline on ClickHouse", "stitch.clickhouse",
            () => ThreadlineReceiver.StartAsync(Path.Combine(folder, "threadline"), TimeSpan.FromMinutes(2), store: ThreadlineReceiver.ClickHouse(server.Url, Database)),
            settings, load, warmup, results, store,
            afterChecks: async _ => derived = (await ClickHouseWaits.DerivedCaughtUpAsync(client, Database)).Describe("the stitching check"));
        // The scale-out run next to it, on the same server; its failure leaves the rest of this run to measure.
        Exception? scaleOutFailure = null;
        try
        {
            await ClickHouseScaleOut.RunAsync(settings, server, client, load, warmup, cost, results);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"!! ingest on ClickHouse, the scale-out run failed: {e}");
            scaleOutFailure = new InvalidOperationException($"the scale-out run: {e.Message}", e);
        }
        await AddBytesAsync(client, Database, "payloads", "with payloads", $"the measured load and its warm-up; {derived}", null, results);
        await IngestQueries.MeasureAsync("ingest_clickhouse", "ingested store, ClickHouse",
            () => ThreadlineReceiver.StartAsync(Path.Combine(folder, "threadline"), TimeSpan.FromMinutes(5), store: ThreadlineReceiver.ClickHouse(server.Url, Database)),
            settings, load, options, results);

        Console.WriteLine("== ingest: Threadline on ClickHouse, the same load without payloads (bytes per span only)");
        var bare = EncodedLoad.Build(options with { Payloads = false }, settings.IngestSpans);
        await using (var receiver = await ThreadlineReceiver.StartAsync(Path.Combine(folder, "threadline-no-payloads"), TimeSpan.FromMinutes(2),
            store: ThreadlineReceiver.ClickHouse(server.Url, NoPayloadsDatabase)))
        {
            var sent = await LoadSender.SendAsync(receiver.OtlpHttp, bare.Requests, settings.Connections, settings.RateSpansPerSecond, CancellationToken.None);
            if (sent.Failures > 0)
                throw new InvalidOperationException($"Threadline on ClickHouse refused {sent.Failures} requests of the load without payloads: {sent.FirstFailure}");
            derived = (await ClickHouseWaits.DerivedCaughtUpAsync(client, NoPayloadsDatabase)).Describe("the load");
        }
        await ClickHouseWaits.MergesSettledAsync(client);
        await AddBytesAsync(client, NoPayloadsDatabase, "no_payloads", "without payloads", $"the same load, no warm-up; {derived}", 60, results);
        return (cost, scaleOutFailure);
    }

    /// <summary>
    /// Bytes of active parts per stored span: as the ingest left them, then after <c>OPTIMIZE … FINAL</c> of every table
    /// (the figures: what background merges reach in time), split into span tables, logs, derived parts and the rest.
    /// </summary>
    private static async Task AddBytesAsync(ClickHouseClient client, string database, string key, string variant, string note, double? target, Results results)
    {
        var spans = await ClickHouseTableSizes.StoredSpansAsync(client, database);
        var asIngested = (await ClickHouseTableSizes.ReadAsync(client, database)).Sum(s => s.OnDisk);
        await ClickHouseTableSizes.MergeAsync(client, database);
        var sizes = await ClickHouseTableSizes.ReadAsync(client, database);
        Console.WriteLine($"  {database}: {spans:N0} spans, after OPTIMIZE FINAL");
        ClickHouseTableSizes.Print(sizes, spans);
        double PerSpan(params string[] groups) => (double)sizes.Where(s => groups.Contains(s.Group)).Sum(s => s.OnDisk) / spans;

        var prefix = $"storage.clickhouse.{key}";
        const string section = "clickhouse storage";
        results.Add(new Figure($"{prefix}.span_tables_b_per_span", section, $"ClickHouse, {variant}: spans + trace_index per span", PerSpan("span"), "B",
            target, Goal.AtMost, $"{spans:N0} spans stored ({note})"));
        results.Add(new Figure($"{prefix}.logs_b_per_span", section, $"ClickHouse, {variant}: logs per span", PerSpan("logs"), "B"));
        results.Add(new Figure($"{prefix}.derived_b_per_span", section, $"ClickHouse, {variant}: derived tables per span", PerSpan("stitch", "analysis", "search"), "B",
            Note: $"stitch_* {PerSpan("stitch"):F1}, analysis_* {PerSpan("analysis"):F1}, search_* {PerSpan("search"):F1}"));
        results.Add(new Figure($"{prefix}.all_b_per_span", section, $"ClickHouse, {variant}: all tables per span", PerSpan(ClickHouseTableSizes.Groups), "B",
            Note: $"other tables (commits, resources, derived_writes, …) {PerSpan("other"):F1}; as the ingest left them {(double)asIngested / spans:F1}"));
    }
}
