using System.Collections.Concurrent;
using DuckDB.NET.Data;
using Threadline.Storage.DuckDb.Sql;
using Threadline.Storage.DuckDb.Write;
using Threadline.Storage.Write;
using Threadline.Telemetry;

namespace Threadline.Storage.DuckDb;

/// <summary>
/// The embedded store: one DuckDB file in the data folder. One writer connection appends whole groups of
/// batches in a single transaction (DuckDB fsyncs its write-ahead log on commit, so a completed write is
/// durable); readers use their own connections to the same database, pooled.
/// </summary>
public sealed partial class DuckDbTelemetryStore : ITelemetryStore
{
    private const int SchemaVersion = 3;

    private readonly DuckDBConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<DuckDBConnection> _readers = [];
    private readonly ResourceScopeCache _cache = new();
    private readonly Utf8Text _text = new();
    private readonly string _databasePath;
    private long _lastCommitSequence;
    private bool _disposed;

    private DuckDbTelemetryStore(DuckDBConnection writer, string databasePath)
    {
        _writer = writer;
        _databasePath = databasePath;
    }

    public StoreCapabilities Capabilities { get; } = new() { Embedded = true, ReadYourWrites = true };

    public long LastCommitSequence => Interlocked.Read(ref _lastCommitSequence);

    /// <summary>Opens (creating if needed) the store in the data folder, replaying its write-ahead log.</summary>
    public static DuckDbTelemetryStore Open(DuckDbStoreOptions options)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var connection = new DuckDBConnection(DuckDbFileFormat.ConnectionString(options.DatabasePath));
        try
        {
            connection.Open();
            using (var settings = connection.CreateCommand())
            {
                settings.CommandText = options.SettingsSql;
                settings.ExecuteNonQuery();
            }
            var store = new DuckDbTelemetryStore(connection, options.DatabasePath);
            store.EnsureSchema();
            store._lastCommitSequence = store.ReadLastCommitSequence();
            store._cache.Load(connection);
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void EnsureSchema()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = DuckDbFileFormat.ForFile(_writer, SqlText.Schema);
        command.ExecuteNonQuery();
        command.CommandText = "SELECT max(version) FROM threadline_schema";
        var found = command.ExecuteScalar();
        var version = found is null or DBNull ? (int?)null : Convert.ToInt32(found, System.Globalization.CultureInfo.InvariantCulture);
        if (version == SchemaVersion)
            return;
        if (version is not (null or 1 or 2))
        {
            throw new InvalidOperationException(
                $"The data folder holds schema version {version}; this Threadline reads versions 1 to {SchemaVersion}.");
        }
        using var transaction = _writer.BeginTransaction();
        if (version == 1)
        {
            command.CommandText = SqlText.MigrateTo2;
            command.ExecuteNonQuery();
        }
        if (version is 1 or 2)
        {
            command.CommandText = SqlText.MigrateTo3;
            command.ExecuteNonQuery();
        }
        command.CommandText = $"DELETE FROM threadline_schema; INSERT INTO threadline_schema VALUES ({SchemaVersion})";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private long ReadLastCommitSequence()
    {
        using var command = _writer.CreateCommand();
        command.CommandText = SqlText.LastCommitSequence;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            WriteLocked(batches);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void WriteLocked(IReadOnlyList<TelemetryBatch> batches)
    {
        if (batches.All(b => b.Spans.Count == 0 && b.Logs.Count == 0))
            return;
        var sequence = _lastCommitSequence + 1;
        var newResources = new Dictionary<ulong, ResourceRecord>();
        var newScopes = new Dictionary<ulong, ScopeRecord>();
        foreach (var batch in batches)
        {
            foreach (var span in batch.Spans)
                Collect(span.Resource, span.Scope, newResources, newScopes);
            foreach (var log in batch.Logs)
                Collect(log.Resource, log.Scope, newResources, newScopes);
        }

        _cache.Add(newResources.Values, newScopes.Values);
        using var transaction = _writer.BeginTransaction();
        try
        {
            if (newResources.Count > 0)
                Append("resources", newResources.Values, RowAppender.AppendResource);
            if (newScopes.Count > 0)
                Append("scopes", newScopes.Values, RowAppender.AppendScope);
            Append("spans", batches.SelectMany(b => b.Spans), (appender, span) => RowAppender.AppendSpan(appender, span, sequence, _text));
            Append("trace_index", TraceRanges.Of(batches), RowAppender.AppendTraceRange);
            Append("logs", batches.SelectMany(b => b.Logs), (appender, log) => RowAppender.AppendLog(appender, log, sequence, _text));
            transaction.Commit();
            Interlocked.Exchange(ref _lastCommitSequence, sequence);
        }
        catch
        {
            transaction.Rollback();
            _cache.Remove(newResources.Values, newScopes.Values);
            throw;
        }
    }

    private void Collect(ResourceRecord resource, ScopeRecord scope, Dictionary<ulong, ResourceRecord> resources, Dictionary<ulong, ScopeRecord> scopes)
    {
        if (!_cache.IsKnown(resource))
            resources.TryAdd(resource.Id, resource);
        if (!_cache.IsKnown(scope))
            scopes.TryAdd(scope.Id, scope);
    }

    private void Append<T>(string table, IEnumerable<T> rows, Action<DuckDBAppender, T> append)
    {
        using var enumerator = rows.GetEnumerator();
        if (!enumerator.MoveNext())
            return;
        using var appender = _writer.CreateAppender(table);
        do
        {
            append(appender, enumerator.Current);
        }
        while (enumerator.MoveNext());
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        await _writeLock.WaitAsync().ConfigureAwait(false);
        _disposed = true;
        while (_readers.TryTake(out var reader))
            reader.Dispose();
        _writer.Dispose();
        _writeLock.Release();
        _writeLock.Dispose();
    }
}
