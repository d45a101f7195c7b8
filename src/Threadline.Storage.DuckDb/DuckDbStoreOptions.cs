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

    /// <summary>The settings this store runs DuckDB with, as SQL (the benchmark's floor applies the same).</summary>
    public string SettingsSql => $"SET checkpoint_threshold = '{CheckpointThreshold}'";
}
