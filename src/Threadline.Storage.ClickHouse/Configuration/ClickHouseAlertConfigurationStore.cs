using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Configuration;

namespace Threadline.Storage.ClickHouse.Configuration;

/// <summary>
/// The alert configuration in the ClickHouse database, one table <c>alert_configuration</c>: every put or delete is a
/// new row of the document (a delete is a row with <c>deleted = 1</c>), ReplacingMergeTree keyed by (kind, id) keeps the
/// one with the highest <c>revision</c>, and reads take that row. The document's own version is a column: it starts at
/// 1 again after a delete, which a revision that only grows does not.
/// </summary>
/// <remarks>
/// ClickHouse has no compare-and-set, so the optimistic check (read the latest, compare, insert) is atomic within this
/// process only (its lock). Configuration is edited through the API by people, rarely; processes that share a database
/// can both win a race for the same document, and the later revision is what everyone reads after.
/// </remarks>
public sealed class ClickHouseAlertConfigurationStore : IAlertConfigurationStore
{
    private const string Table = "alert_configuration";

    private readonly ClickHouseClient _client;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private bool _disposed;

    private ClickHouseAlertConfigurationStore(ClickHouseClient client, TimeProvider time) => (_client, _time) = (client, time);

    /// <summary>Creates the table when missing, in a database that exists (the span store creates it).</summary>
    public static async Task<ClickHouseAlertConfigurationStore> OpenAsync(ClickHouseConnectionOptions connection, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var client = new ClickHouseClient(connection);
        try
        {
            await client.ExecuteAsync(
                $"""
                CREATE TABLE IF NOT EXISTS {Table} (
                    kind String, id String, revision UInt64, version Int64, document String, updated_unix_nano Int64, deleted UInt8
                ) ENGINE = ReplacingMergeTree(revision) ORDER BY (kind, id)
                """, cancellationToken).ConfigureAwait(false);
            return new ClickHouseAlertConfigurationStore(client, time ?? TimeProvider.System);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<IReadOnlyList<StoredDocument>> ListAsync(DocumentKind kind, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rows = await ReadAsync(kind, null, cancellationToken).ConfigureAwait(false);
        return rows.Where(r => !r.Deleted).Select(r => r.Document).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<StoredDocument?> GetAsync(DocumentKind kind, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (await LatestAsync(kind, id, cancellationToken).ConfigureAwait(false))?.Live;
    }

    public async Task<StoredDocument> PutAsync(DocumentKind kind, string id, string json, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(json);
        return await WriteAsync(async () =>
        {
            var latest = await LatestAsync(kind, id, cancellationToken).ConfigureAwait(false);
            var current = latest?.Live?.Version;
            if (expectedVersion is { } expected && expected != (current ?? 0))
                throw ConfigurationConflictException.Of(kind, id, expected, current);
            var document = new StoredDocument(kind, id, (current ?? 0) + 1, json, Now());
            await InsertAsync(document, NextRevision(latest), deleted: false, cancellationToken).ConfigureAwait(false);
            return document;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(DocumentKind kind, string id, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await WriteAsync(async () =>
        {
            var latest = await LatestAsync(kind, id, cancellationToken).ConfigureAwait(false);
            if (latest?.Live is not { } current)
                return false;
            if (expectedVersion is { } expected && expected != current.Version)
                throw ConfigurationConflictException.Of(kind, id, expected, current.Version);
            await InsertAsync(current with { Json = "", UpdatedAt = Now() }, NextRevision(latest), deleted: true, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private sealed record Row(StoredDocument Document, ulong Revision, bool Deleted)
    {
        public StoredDocument? Live => Deleted ? null : Document;
    }

    private async Task<Row?> LatestAsync(DocumentKind kind, string id, CancellationToken cancellationToken) =>
        (await ReadAsync(kind, id, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>The latest row of each document of the kind (of one id when given), deleted ones included.</summary>
    private Task<IReadOnlyList<Row>> ReadAsync(DocumentKind kind, string? id, CancellationToken cancellationToken)
    {
        var filter = $"kind = {ClickHouseSql.Literal(DocumentKindNames.Of(kind))}" + (id is null ? "" : $" AND id = {ClickHouseSql.Literal(id)}");
        return _client.QueryAsync(
            $"SELECT id, version, document, updated_unix_nano, revision, deleted FROM {Table} WHERE {filter} ORDER BY revision DESC LIMIT 1 BY id",
            row => new Row(
                new StoredDocument(kind, row.GetString(0), row.GetInt64(1), row.GetString(2), DateTimeOffset.UnixEpoch.AddTicks(row.GetInt64(3) / 100)),
                row.GetUInt64(4), row.GetByte(5) == 1),
            cancellationToken);
    }

    private Task InsertAsync(StoredDocument document, ulong revision, bool deleted, CancellationToken cancellationToken) =>
        _client.InsertAsync(Table, ["kind", "id", "revision", "version", "document", "updated_unix_nano", "deleted"], writer => writer
            .String(DocumentKindNames.Of(document.Kind)).String(document.Id).UInt64(revision).Int64(document.Version).String(document.Json)
            .Int64((document.UpdatedAt - DateTimeOffset.UnixEpoch).Ticks * 100).UInt8(deleted ? (byte)1 : (byte)0).EndRow(), cancellationToken);

    /// <summary>After the latest row of the document, and after the clock, so another process' later write also ranks later.</summary>
    private ulong NextRevision(Row? latest) => Math.Max((latest?.Revision ?? 0) + 1, (ulong)((Now() - DateTimeOffset.UnixEpoch).Ticks * 100));

    private DateTimeOffset Now() => _time.GetUtcNow();

    private async Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await write().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        await _writeLock.WaitAsync().ConfigureAwait(false);
        _disposed = true;
        _client.Dispose();
        _writeLock.Release();
        _writeLock.Dispose();
    }
}
