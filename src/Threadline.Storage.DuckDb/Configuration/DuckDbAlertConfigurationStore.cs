using System.Data.Common;
using DuckDB.NET.Data;
using Threadline.Storage.Configuration;
using Threadline.Storage.DuckDb.Sql;

namespace Threadline.Storage.DuckDb.Configuration;

/// <summary>
/// The alert configuration in the embedded database file: one table, one connection of its own (DuckDB.NET shares the
/// database instance with the telemetry store's connections), serialized by its own lock, so neither reads nor writes
/// of the configuration ever wait for a group commit of spans. Documents are few and small; every call reads the table.
/// </summary>
public sealed class DuckDbAlertConfigurationStore : IAlertConfigurationStore
{
    private readonly DuckDBConnection _connection;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly TimeProvider _time;
    private bool _disposed;

    private DuckDbAlertConfigurationStore(DuckDBConnection connection, TimeProvider time) => (_connection, _time) = (connection, time);

    /// <summary>Opens (creating if needed) the configuration table in the data folder's database file.</summary>
    public static DuckDbAlertConfigurationStore Open(DuckDbStoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(options.DatabasePath));
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = SqlText.ConfigurationSchema;
            command.ExecuteNonQuery();
            return new DuckDbAlertConfigurationStore(connection, time ?? TimeProvider.System);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<StoredDocument>> ListAsync(DocumentKind kind, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<StoredDocument>>(() => Read(kind, null), cancellationToken);

    public Task<StoredDocument?> GetAsync(DocumentKind kind, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync(() => Read(kind, id).FirstOrDefault(), cancellationToken);
    }

    public Task<StoredDocument> PutAsync(DocumentKind kind, string id, string json, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(json);
        return RunAsync(() =>
        {
            using var transaction = _connection.BeginTransaction();
            var current = Read(kind, id).FirstOrDefault()?.Version;
            var updated = _time.GetUtcNow();
            if (expectedVersion is { } expected && expected != (current ?? 0))
                throw ConfigurationConflictException.Of(kind, id, expected, current);
            if (current is null)
                Execute(SqlText.ConfigurationInsert, kind, id, json, updated, version: null);
            else
                Execute(SqlText.ConfigurationUpdate, kind, id, json, updated, current);
            transaction.Commit();
            return new StoredDocument(kind, id, (current ?? 0) + 1, json, updated);
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(DocumentKind kind, string id, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync(() =>
        {
            using var transaction = _connection.BeginTransaction();
            var current = Read(kind, id).FirstOrDefault()?.Version;
            if (current is null)
                return false;
            if (expectedVersion is { } expected && expected != current)
                throw ConfigurationConflictException.Of(kind, id, expected, current);
            Execute(SqlText.ConfigurationDelete, kind, id, json: null, updated: null, current);
            transaction.Commit();
            return true;
        }, cancellationToken);
    }

    private List<StoredDocument> Read(DocumentKind kind, string? id)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = SqlText.ConfigurationList;
        command.Parameters.Add(new DuckDBParameter("kind", DocumentKindNames.Of(kind)));
        command.Parameters.Add(new DuckDBParameter("id", (object?)id ?? DBNull.Value));
        using var row = command.ExecuteReader();
        var documents = new List<StoredDocument>();
        while (row.Read())
            documents.Add(Document(row, kind));
        return documents;
    }

    private static StoredDocument Document(DbDataReader row, DocumentKind kind) => new(kind, row.GetString(1), row.GetInt64(2), row.GetString(3),
        DateTimeOffset.UnixEpoch.AddTicks(row.GetInt64(4) / 100));

    private void Execute(string sql, DocumentKind kind, string id, string? json, DateTimeOffset? updated, long? version)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("kind", DocumentKindNames.Of(kind)));
        command.Parameters.Add(new DuckDBParameter("id", id));
        if (json is not null)
            command.Parameters.Add(new DuckDBParameter("document", json));
        if (updated is { } time)
            command.Parameters.Add(new DuckDBParameter("updated", (time - DateTimeOffset.UnixEpoch).Ticks * 100));
        if (sql != SqlText.ConfigurationInsert)
            command.Parameters.Add(new DuckDBParameter("version", (object?)version ?? DBNull.Value));
        command.ExecuteNonQuery();
    }

    /// <summary>DuckDB's client API is synchronous: run it off the request thread, one call at a time.</summary>
    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await Task.Run(work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        await _lock.WaitAsync().ConfigureAwait(false);
        _disposed = true;
        _connection.Dispose();
        _lock.Release();
        _lock.Dispose();
    }
}
