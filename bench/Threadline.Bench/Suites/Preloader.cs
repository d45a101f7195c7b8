using DuckDB.NET.Data;
using Threadline.Bench.Workload;
using Threadline.Ingest.Normalize;
using Threadline.Storage.DuckDb;
using Threadline.Telemetry;

namespace Threadline.Bench.Suites;

/// <summary>
/// Fills a data folder straight through the store (WriteAsync in large batches; loading millions of spans
/// through HTTP would take too long), then checkpoints it so the file holds everything and the WAL is empty.
/// Spans only: log records would blur bytes per span.
/// </summary>
internal static class Preloader
{
    private const int SpansPerWrite = 50_000;

    public static async Task<IdSample> LoadAsync(string dataDirectory, WorkloadOptions options, long spans)
    {
        var sample = new IdSample(2000, options.Seed + 1000);
        var store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = dataDirectory });
        await using (store)
        {
            var pending = new List<SpanRecord>(SpansPerWrite + 1000);
            var writes = new List<Task>();
            var generator = new TransactionGenerator(options.Seed, options.Payloads, options.StartUnixNano, options.SpacingNanos);
            var batcher = new OtlpBatcher(options.SpansPerRequest);
            batcher.TracesReady += (request, _) => pending.AddRange(OtlpTraceNormalizer.Normalize(request));
            long generated = 0;
            Task previous = Task.CompletedTask;
            while (generated < spans)
            {
                var transaction = generator.Next();
                foreach (var invocation in transaction.Invocations)
                    batcher.Add(invocation);
                generated += transaction.SpanCount;
                sample.Offer(transaction);
                if (pending.Count >= SpansPerWrite || generated >= spans)
                {
                    if (generated >= spans)
                        batcher.Flush();
                    // Generate the next batch while the store writes this one.
                    await previous;
                    var batch = new TelemetryBatch(pending, []);
                    previous = store.WriteAsync([batch], CancellationToken.None);
                    pending = new List<SpanRecord>(SpansPerWrite + 1000);
                }
            }
            await previous;
        }
        Checkpoint(dataDirectory);
        return sample;
    }

    public static void Checkpoint(string dataDirectory)
    {
        using var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(Path.Combine(dataDirectory, DuckDbStoreOptions.FileName)));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CHECKPOINT";
        command.ExecuteNonQuery();
    }

    public static long BytesOnDisk(string dataDirectory) =>
        Directory.EnumerateFiles(dataDirectory).Sum(f => new FileInfo(f).Length);
}
