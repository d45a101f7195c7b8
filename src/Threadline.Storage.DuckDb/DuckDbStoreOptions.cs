namespace Threadline.Storage.DuckDb;

public sealed class DuckDbStoreOptions
{
    public const string FileName = "threadline.duckdb";

    /// <summary>The data folder; the database file and its write-ahead log live in it.</summary>
    public required string DataDirectory { get; init; }

    public string DatabasePath => Path.Combine(DataDirectory, FileName);
}
