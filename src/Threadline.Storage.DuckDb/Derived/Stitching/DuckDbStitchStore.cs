using System.Collections.Concurrent;
using System.Data.Common;
using DuckDB.NET.Data;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.DuckDb.Derived.Stitching;

/// <summary>
/// The stitcher's state in the data folder's database file (<c>stitch_*</c> tables, <c>Sql/stitch_schema.sql</c>).
/// One writer connection of its own commits deltas; loads run on pooled reader connections (DuckDB.NET shares the
/// database instance among a process's connections to one file), so they never wait for a commit and see the state
/// as of the last one.
/// </summary>
public sealed partial class DuckDbStitchStore : IStitchStore
{
    private readonly DuckDBConnection _writer;
    private readonly Lock _writeLock = new();
    private readonly ConcurrentBag<DuckDBConnection> _readers = [];
    private bool _disposed;

    private DuckDbStitchStore(DuckDBConnection writer) => _writer = writer;

    /// <summary>
    /// Opens (creating if needed) the stitch tables in the data folder's database file. <paramref name="rebuildIndexes"/>:
    /// the database was not closed cleanly (its write-ahead log was replayed), so the ART indexes are built again from
    /// the tables. Why: DuckDB's ART index replayed from the log and then checkpointed answered equality lookups with
    /// no rows for rows a scan finds (reproduced by KillNineStitchTests; DuckDB issue 23788 describes the same), and
    /// a rebuilt index answers right. The rebuild reads every stitch row, so such a start takes longer.
    /// </summary>
    public static DuckDbStitchStore Open(DuckDbStoreOptions options, bool rebuildIndexes = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(options.DatabasePath));
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = StitchSql.Schema;
            command.ExecuteNonQuery();
            if (rebuildIndexes)
                RebuildIndexes(connection);
            return new DuckDbStitchStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void RebuildIndexes(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        foreach (var (name, table, column) in StitchSql.Indexes)
        {
            command.CommandText = $"DROP INDEX IF EXISTS {name}";
            command.ExecuteNonQuery();
            command.CommandText = $"CREATE INDEX {name} ON {table} ({column})";
            command.ExecuteNonQuery();
        }
    }

    public long ReadWatermark()
    {
        var found = Query("SELECT max(sequence) FROM stitch_watermark", [], row => row.IsDBNull(0) ? 0 : row.GetInt64(0));
        return found.Count == 0 ? 0 : found[0];
    }

    /// <summary>Runs a query on a reader connection and maps every row.</summary>
    private List<T> Query<T>(string sql, DuckDBParameter[] parameters, Func<DbDataReader, T> map)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = RentReader();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var parameter in parameters)
                command.Parameters.Add(parameter);
            using var row = command.ExecuteReader();
            var results = new List<T>();
            while (row.Read())
                results.Add(map(row));
            return results;
        }
        finally
        {
            _readers.Add(connection);
        }
    }

    /// <summary>Runs the query once per chunk of the ids (see <see cref="StitchSql.Chunk"/>) and concatenates.</summary>
    private List<T> QueryChunked<TId, T>(IReadOnlyCollection<TId> ids, Func<IReadOnlyCollection<TId>, string> sql, Func<DbDataReader, T> map)
    {
        var results = new List<T>();
        foreach (var chunk in ids.Distinct().Chunk(StitchSql.Chunk))
            results.AddRange(Query(sql(chunk), [], map));
        return results;
    }

    private DuckDBConnection RentReader()
    {
        if (_readers.TryTake(out var connection))
            return connection;
        var reader = new DuckDBConnection(_writer.ConnectionString);
        reader.Open();
        return reader;
    }

    public ValueTask DisposeAsync()
    {
        lock (_writeLock)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
            while (_readers.TryTake(out var reader))
                reader.Dispose();
            _writer.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
