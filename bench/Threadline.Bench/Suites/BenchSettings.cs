namespace Threadline.Bench.Suites;

/// <summary>Sizes of a run: the full suite, or --quick (the same steps on smaller sizes, a few minutes).</summary>
internal sealed record BenchSettings(
    bool Quick,
    long IngestSpans,
    long AspireSpans,
    long WarmupSpans,
    int WarmupSeconds,
    int Connections,
    double RateSpansPerSecond,
    long StorageSpans,
    long[] QuerySizes,
    int QueriesPerKind,
    string TracerJob,
    string WorkDirectory)
{
    /// <summary>`--store-only`: the query suite measures trace by id on the store in process and starts no server.</summary>
    public bool QueryStoreOnly { get; init; }

    /// <summary>
    /// Each receiver first takes a warm-up load for <see cref="WarmupSeconds"/> (the tiered JIT is busy for tens of
    /// seconds under load on two cores; a profile taken then shows 20 % of the CPU in the JIT).
    /// The Aspire dashboard takes about 600 spans/s here, so it gets the first <see cref="AspireSpans"/> of the same load.</summary>
    public static BenchSettings Create(bool quick, string workDirectory) => quick
        ? new(true, 100_000, 30_000, 60_000, 20, 4, 0, 100_000, [100_000, 300_000], 200, "short", workDirectory)
        : new(false, 1_000_000, 150_000, 200_000, 45, 4, 0, 1_000_000, [1_000_000, 10_000_000], 1000, "medium", workDirectory);
}
