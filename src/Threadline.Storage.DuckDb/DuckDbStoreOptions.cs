namespace Threadline.Storage.DuckDb;

public sealed class DuckDbStoreOptions
{
    public const string FileName = "threadline.duckdb";

    /// <summary>The data folder; the database file and its write-ahead log live in it.</summary>
    public required string DataDirectory { get; init; }

    public string DatabasePath => Path.Combine(DataDirectory, FileName);

    /// <summary>
    /// How large the write-ahead log grows before DuckDB checkpoints it into the file (DuckDB's default is 16 MB).
    /// Each checkpoint compresses the rows since the last one and re-compresses the table's last, partly filled
    /// row group; at 16 MB that re-compression happened every few thousand spans and was most of the store's CPU
    /// (bench/README.md). Durability does not depend on it: every commit is in the fsynced log. The price is a
    /// longer log replay at start after a crash and the unchecked rows held in memory.
    /// </summary>
    public string CheckpointThreshold { get; init; } = "256MB";

    /// <summary>DuckDB's worker threads when none are configured: one (see <see cref="Threads"/>).</summary>
    public const int DefaultThreads = 1;

    /// <summary>The most worker threads accepted (far more than any machine this runs on has cores).</summary>
    public const int MaxThreads = 256;

    /// <summary>
    /// DuckDB's worker threads for the whole database (its own default is one per core). Threadline's work on it is
    /// many small statements per commit (the spans and each derived part's delete and insert of the touched traces) and
    /// selective reads; with more than one thread each statement is split into tasks handed between threads, which
    /// cost more than they saved: with one thread the server used 0.84× the CPU per span and ingested 1.2× as fast,
    /// while the API's reads kept their latency (bench/README.md, "DuckDB's worker threads"). A machine that answers
    /// large reads over long ranges can give it more.
    /// </summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>The settings this store runs DuckDB with, as SQL (the benchmark's floor applies the same).</summary>
    public string SettingsSql => $"SET checkpoint_threshold = '{CheckpointThreshold}'; SET threads = {Threads}";
}
