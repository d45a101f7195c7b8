using DuckDB.NET.Data;
using Threadline.Storage.Configuration;
using Threadline.Storage.Derived.Stitching;
using Threadline.Storage.DuckDb.Configuration;
using Threadline.Storage.DuckDb.Derived.Stitching;

namespace Threadline.Storage.DuckDb;

/// <summary>
/// The embedded backend: every store is a set of tables in the one DuckDB file of the data folder, each store on
/// connections of its own (DuckDB.NET gives all connections a process opens to the same file one database instance,
/// so each sees the others' commits at once, and no store waits on another's lock).
/// </summary>
public sealed class DuckDbStorageBackend(DuckDbStoreOptions options) : IStorageBackend
{
    public const string BackendName = "duckdb";

    public string Name => BackendName;

    /// <summary>The data folder and database file; a derived store opens on these like the configuration store does.</summary>
    public DuckDbStoreOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>
    /// Whether the database was not closed cleanly: its write-ahead log was there before this backend opened anything
    /// (the first store to open replays it). Decided once, when the backend is made, before any store opens.
    /// </summary>
    public bool Recovering { get; } = File.Exists(options.DatabasePath + ".wal");

    public ITelemetryStore OpenTelemetryStore() => DuckDbTelemetryStore.Open(Options);

    public IAlertConfigurationStore OpenAlertConfigurationStore() => DuckDbAlertConfigurationStore.Open(Options);

    public IStitchStore OpenStitchStore() => DuckDbStitchStore.Open(Options, rebuildIndexes: Recovering);
    public Threadline.Storage.Derived.Analysis.IAnalysisStore OpenAnalysisStore() => Derived.Analysis.DuckDbAnalysisStore.Open(Options);

    public Threadline.Storage.Derived.Search.ISearchIndexStore OpenSearchIndexStore() => Derived.Search.DuckDbSearchIndexStore.Open(Options);

    /// <summary>The DuckDB file is locked by the one process that opens it: that process derives.</summary>
    public Threadline.Storage.Sharing.IDerivationLease OpenDerivationLease(string holder, string role) => new Threadline.Storage.Sharing.SingleProcessLease();

    /// <summary>
    /// A new, open connection to the telemetry store's database, for a derived store's own tables and transactions
    /// (its writes never take the span writer's lock; its reads see every committed span). The caller owns and disposes
    /// it; DuckDB connections are not thread-safe, so use one per writer and one per concurrent reader.
    /// </summary>
    public DuckDBConnection OpenConnection()
    {
        Directory.CreateDirectory(Options.DataDirectory);
        var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(Options.DatabasePath));
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
