using Microsoft.Extensions.Logging;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Write;
using Threadline.Telemetry;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// The span store on a ClickHouse server (docs/clickhouse.md): the tables of <see cref="ClickHouseSchema"/> in one
/// database, created at open. A write inserts each table's rows in one RowBinary request and is made atomic by its
/// commit marker (<see cref="CommitLog"/>, or <see cref="SharedCommitLog"/> when several processes write the database);
/// writes are serialized (one writer per store), reads run in parallel.
/// </summary>
public sealed partial class ClickHouseTelemetryStore : ITelemetryStore
{
    private readonly ClickHouseClient _client;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ResourceScopeCache _cache = new();
    private readonly CommitLog? _commits;
    private readonly ICommitVisibility _visible;
    private readonly IReadOnlyDictionary<string, string> _dataInsertSettings;
    private bool _disposed;

    private ClickHouseTelemetryStore(ClickHouseClient client, ClickHouseVersion version, CommitLog? commits, SharedWriting? shared)
    {
        _client = client;
        ServerVersion = version;
        _commits = commits;
        _shared = shared;
        _visible = (ICommitVisibility?)commits ?? shared!.Log;
        Capabilities = new() { Embedded = false, ReadYourWrites = shared is null };
        // A write may hold spans of many days (a backfill, a client with a wrong clock): newer servers refuse an insert
        // into more than 100 partitions unless told otherwise; 18.16 has no such limit (and no such setting).
        _dataInsertSettings = version.HasModernSchemaFeatures
            ? new Dictionary<string, string> { ["max_partitions_per_insert_block"] = "0" }
            : new Dictionary<string, string>();
    }

    /// <summary>
    /// Visible at once with one writer; with shared writers once the settled frontier passes the write (up to
    /// <see cref="ClickHouseStoreOptions.BeginBound"/> plus the clock skew and a refresh later). Stored once ClickHouse
    /// acknowledged the inserts: it writes each part's files before it answers, so a write survives a restart of
    /// ClickHouse; 18.16 does not fsync them (newer servers do with <c>fsync_after_insert</c>, and replication is the
    /// answer to losing a machine).
    /// </summary>
    public StoreCapabilities Capabilities { get; }

    public ClickHouseVersion ServerVersion { get; }

    public string Database => _client.Options.Database;

    public long LastCommitSequence => _visible.Last;

    /// <summary>
    /// Connects, creates the database and the schema when missing and checks the version of one that exists.
    /// Throws <see cref="ClickHouseUnavailableException"/> when the server cannot be reached, and
    /// <see cref="InvalidOperationException"/> when the database holds a schema version this build does not read.
    /// </summary>
    public static async Task<ClickHouseTelemetryStore> OpenAsync(ClickHouseStoreOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ClickHouseClient(options.Connection);
        try
        {
            var version = await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            await client.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {ClickHouseSql.Identifier(options.Connection.Database)}", cancellationToken, database: "default").ConfigureAwait(false);
            await EnsureSchemaAsync(client, version, cancellationToken).ConfigureAwait(false);
            var store = options.SharedWriters
                ? new ClickHouseTelemetryStore(client, version, null, await SharedWriting.OpenAsync(client, options, logger, cancellationToken).ConfigureAwait(false))
                : new ClickHouseTelemetryStore(client, version, await CommitLog.LoadAsync(client, cancellationToken).ConfigureAwait(false), null);
            await store._cache.LoadAsync(client, cancellationToken).ConfigureAwait(false);
            logger?.LogInformation("ClickHouse {Version} at {Url}, database {Database}: schema {Schema}, {Features}, last commit {Commit}{Writers}",
                version, options.Connection.Url, options.Connection.Database, ClickHouseSchema.Version,
                version.HasModernSchemaFeatures ? "codecs and skip indexes" : "plain schema (server-level compression)", store.LastCommitSequence,
                store._shared is { } shared ? $", shared writers (slot {shared.Slot.Slot})" : "");
            store._shared?.Start(client, store._cache);
            return store;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task EnsureSchemaAsync(ClickHouseClient client, ClickHouseVersion version, CancellationToken cancellationToken)
    {
        var database = ClickHouseSql.Literal(client.Options.Database);
        var exists = await client.ScalarAsync($"SELECT count() FROM system.tables WHERE database = {database} AND name = 'threadline_schema'", cancellationToken).ConfigureAwait(false);
        if (exists != "0")
        {
            // An empty table is a schema another process is creating right now (shared writers starting together):
            // complete it alike; a second version row of the same number is harmless.
            var rows = await client.QueryAsync("SELECT count(), max(version) FROM threadline_schema",
                row => (Count: row.GetUInt64(0), Version: row.GetString(1)), cancellationToken).ConfigureAwait(false);
            exists = rows[0].Count == 0 ? "0" : exists;
            var found = rows[0].Version;
            if (exists != "0" && found != ClickHouseSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException(
                    $"The ClickHouse database {client.Options.Database} holds Threadline schema version {found}; this Threadline reads version {ClickHouseSchema.Version}.");
            }
        }
        // IF NOT EXISTS throughout, so a start that died half-way through creating the schema completes it.
        foreach (var statement in ClickHouseSchema.Statements(version))
            await client.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        if (exists == "0")
            await client.ExecuteAsync($"INSERT INTO threadline_schema (version) VALUES ({ClickHouseSchema.Version})", cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(batches);
        var spanCount = batches.Sum(b => b.Spans.Count);
        var logCount = batches.Sum(b => b.Logs.Count);
        if (spanCount + logCount == 0)
            return;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_commits is null)
            {
                await WriteSharedAsync(batches, spanCount, logCount, cancellationToken).ConfigureAwait(false);
                return;
            }
            var sequence = _commits.Next;
            await InsertCommitAsync(sequence, 0, spanCount, logCount, cancellationToken).ConfigureAwait(false);
            _commits.Take(sequence);
            try
            {
                await WriteRowsAsync(batches, sequence, cancellationToken).ConfigureAwait(false);
                await InsertCommitAsync(sequence, 1, spanCount, logCount, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Some of its rows may be stored: the number stays a hole, never shown and never reused.
                _commits.Failed(sequence);
                throw;
            }
            _commits.Committed(sequence);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Every row of the write, tagged with its sequence; the caller then inserts the completion marker.</summary>
    private async Task WriteRowsAsync(IReadOnlyList<TelemetryBatch> batches, long sequence, CancellationToken cancellationToken)
    {
        var newResources = new Dictionary<ulong, ResourceRecord>();
        var newScopes = new Dictionary<ulong, ScopeRecord>();
        foreach (var batch in batches)
        {
            foreach (var span in batch.Spans)
                Collect(span.Resource, span.Scope, newResources, newScopes);
            foreach (var log in batch.Logs)
                Collect(log.Resource, log.Scope, newResources, newScopes);
        }
        await _client.InsertAsync("resources", SpanRows.ResourceColumns, row =>
        {
            foreach (var resource in newResources.Values)
                SpanRows.WriteResource(row, resource);
        }, cancellationToken).ConfigureAwait(false);
        await _client.InsertAsync("scopes", SpanRows.ScopeColumns, row =>
        {
            foreach (var scope in newScopes.Values)
                SpanRows.WriteScope(row, scope);
        }, cancellationToken).ConfigureAwait(false);
        await _client.InsertAsync("spans", SpanRows.SpanColumns, row =>
        {
            foreach (var batch in batches)
            {
                foreach (var span in batch.Spans)
                    SpanRows.WriteSpan(row, span, sequence);
            }
        }, cancellationToken, _dataInsertSettings).ConfigureAwait(false);
        await _client.InsertAsync("trace_index", SpanRows.TraceIndexColumns, row =>
        {
            foreach (var range in TraceRanges.Of(batches))
                row.UInt64(SpanRows.Low(range.TraceId)).Int64(range.MinStart).Int64(range.MaxStart).EndRow();
        }, cancellationToken, _dataInsertSettings).ConfigureAwait(false);
        await _client.InsertAsync("logs", SpanRows.LogColumns, row =>
        {
            foreach (var batch in batches)
            {
                foreach (var log in batch.Logs)
                    SpanRows.WriteLog(row, log, sequence);
            }
        }, cancellationToken, _dataInsertSettings).ConfigureAwait(false);

        // Readers resolve resources from the cache, so it learns the new ones before the write becomes visible.
        _cache.Add(newResources.Values, newScopes.Values);
    }

    private Task InsertCommitAsync(long sequence, byte state, int spanCount, int logCount, CancellationToken cancellationToken) =>
        _client.InsertAsync("commits", SpanRows.CommitColumns,
            row => row.UInt64((ulong)sequence).UInt8(state).UInt32((uint)spanCount).UInt32((uint)logCount).EndRow(), cancellationToken);

    private void Collect(ResourceRecord resource, ScopeRecord scope, Dictionary<ulong, ResourceRecord> resources, Dictionary<ulong, ScopeRecord> scopes)
    {
        if (!_cache.IsKnown(resource))
            resources.TryAdd(resource.Id, resource);
        if (!_cache.IsKnown(scope))
            scopes.TryAdd(scope.Id, scope);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        if (_shared is not null)
            await _shared.StopAsync(release: true).ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        _disposed = true;
        _client.Dispose();
        _writeLock.Release();
        _writeLock.Dispose();
    }
}
