using Threadline.Bench.Receivers;
using Threadline.Bench.Report;
using Threadline.Bench.Workload;

namespace Threadline.Bench.Suites;

/// <summary>
/// The query figures (trace by id, transaction by id, list) on the stores the ingest step filled, DuckDB and ClickHouse
/// side by side: a server started again on each once its ingest was measured, over the ingest load's sampled ids.
/// </summary>
internal static class IngestQueries
{
    public static async Task MeasureAsync(string key, string text, Func<Task<ThreadlineReceiver>> start, BenchSettings settings, EncodedLoad load,
        WorkloadOptions options, Results results)
    {
        Console.WriteLine($"== ingest: queries on {text}");
        await using var server = await start();
        results.Add(new Figure($"query.{key}.server_start_s", "queries", $"{text}: server start until OTLP and the API answer", server.StartTime.TotalSeconds, "s",
            Note: $"the store of the ingest step ({load.Spans:N0} spans and the warm-up's)"));
        await QuerySuite.WaitForDerivationAsync(server.Api, TimeSpan.FromMinutes(20));
        await QuerySuite.MeasureAsync(server.Api, settings, load.Sample.Items, key, load.Spans, results, options, text);
    }
}
