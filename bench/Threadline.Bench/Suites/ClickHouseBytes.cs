using Threadline.Bench.Workload;
using Threadline.Ingest.Normalize;
using Threadline.Storage.ClickHouse;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Telemetry;

namespace Threadline.Bench.Suites;

/// <summary>
/// `clickhouse-bytes --url http://127.0.0.1:8123 --spans N [--no-payloads] [--keep]`: writes the bench load (spans only, 50k
/// per write) through the ClickHouse store into a fresh database of a running server, merges each table's parts
/// (OPTIMIZE … FINAL, as the server's background merges would in time) and prints the bytes per span on disk from
/// system.parts: of the spans table, and of every table of the database. The server's compression settings
/// (config.xml &lt;compression&gt;; 18.16 has no per-column codecs) decide the figure. The database is dropped after,
/// unless --keep (to look at its queries).
/// </summary>
internal static class ClickHouseBytes
{
    private const int SpansPerWrite = 50_000;

    public static async Task<int> RunAsync(Uri url, long spans, bool payloads, bool keep)
    {
        var database = $"bench_bytes_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var connection = new ClickHouseConnectionOptions { Url = url, Database = database, Timeout = TimeSpan.FromMinutes(5) };
        var options = WorkloadOptions.EndingNow(seed: 3, payloads, spans, TimeSpan.FromHours(1));
        await using (var store = await ClickHouseTelemetryStore.OpenAsync(new ClickHouseStoreOptions { Connection = connection }, null, CancellationToken.None))
        {
            Console.WriteLine($"ClickHouse {store.ServerVersion}, database {database}: writing {spans:N0} spans ({(payloads ? "with" : "without")} payloads)");
            var pending = new List<SpanRecord>(SpansPerWrite + 1000);
            var generator = new TransactionGenerator(options.Seed, options.Payloads, options.StartUnixNano, options.SpacingNanos);
            var batcher = new OtlpBatcher(options.SpansPerRequest);
            batcher.TracesReady += (request, _) => pending.AddRange(OtlpTraceNormalizer.Normalize(request));
            long generated = 0;
            while (generated < spans)
            {
                var transaction = generator.Next();
                foreach (var invocation in transaction.Invocations)
                    batcher.Add(invocation);
                generated += transaction.SpanCount;
                if (pending.Count >= SpansPerWrite || generated >= spans)
                {
                    if (generated >= spans)
                        batcher.Flush();
                    await store.WriteAsync([new TelemetryBatch(pending, [])], CancellationToken.None);
                    pending = new List<SpanRecord>(SpansPerWrite + 1000);
                }
            }
        }

        using var client = new ClickHouseClient(connection);
        await ClickHouseTableSizes.MergeAsync(client, database);
        var stored = await ClickHouseTableSizes.StoredSpansAsync(client, database);
        var sizes = await ClickHouseTableSizes.ReadAsync(client, database);
        ClickHouseTableSizes.Print(sizes, stored);
        var columns = await client.QueryAsync(
            $"SELECT name, data_compressed_bytes FROM system.columns WHERE database = {ClickHouseSql.Literal(database)} AND table = 'spans' ORDER BY data_compressed_bytes DESC",
            row => (Name: row.GetString(0), Compressed: row.GetInt64(1)), CancellationToken.None);
        Console.WriteLine("  spans by column: " + string.Join(", ", columns.Select(c => $"{c.Name} {(double)c.Compressed / stored:F1}")));
        var spansOnly = sizes.Where(s => s.Table == "spans").Sum(s => s.OnDisk);
        var all = sizes.Sum(s => s.OnDisk);
        Console.WriteLine($"{stored:N0} spans: {(double)spansOnly / stored:F1} B/span in spans, {(double)all / stored:F1} B/span in all tables");
        if (keep)
            Console.WriteLine($"kept database {database}");
        else
            await client.ExecuteAsync($"DROP DATABASE {ClickHouseSql.Identifier(database)}", CancellationToken.None, database: "default");
        return 0;
    }
}
