using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.ClickHouse.Derived.Stitching;

/// <summary>
/// The stitcher's state on ClickHouse: the <c>stitch_*</c> tables of <c>Sql/stitch.sql</c> beside the span tables.
/// A commit inserts one block per table, all tagged with its version, and becomes visible at once when
/// <see cref="DerivedWriteLog"/> completes it; loads keep the log's visibility filter, so they never wait for a commit
/// and see the state before one in progress. The interface is synchronous (the stitcher runs on the server's writer
/// loop), so calls block on the HTTP client; every client call uses <c>ConfigureAwait(false)</c>, so this is safe
/// on any thread.
/// </summary>
public sealed partial class ClickHouseStitchStore : IStitchStore
{
    private readonly ClickHouseClient _client;
    private readonly DerivedWriteLog _log;
    private readonly IReadOnlyDictionary<string, string> _partitionedInsertSettings;
    private readonly Lock _writeLock = new();
    private bool _disposed;

    private ClickHouseStitchStore(ClickHouseClient client, DerivedWriteLog log, ClickHouseVersion version)
    {
        _client = client;
        _log = log;
        // A delta may hold spans or transactions of many days (a backfill): newer servers refuse an insert into more
        // than 100 partitions unless told otherwise; 18.16 has no such limit (and no such setting).
        _partitionedInsertSettings = version.HasModernSchemaFeatures
            ? new Dictionary<string, string> { ["max_partitions_per_insert_block"] = "0" }
            : new Dictionary<string, string>();
    }

    /// <summary>
    /// Creates the stitch tables when missing in the connection's database, which must exist (the span store creates
    /// it), and removes what a write that did not complete left behind.
    /// </summary>
    public static async Task<ClickHouseStitchStore> OpenAsync(ClickHouseConnectionOptions connection, CancellationToken cancellationToken, bool shared = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = new ClickHouseClient(connection);
        try
        {
            var version = await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var statement in StitchSchema.Statements())
                await client.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            var log = await DerivedWriteLog.OpenAsync(client, StitchSchema.Part, StitchSchema.Tables, cancellationToken, shared).ConfigureAwait(false);
            return new ClickHouseStitchStore(client, log, version);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public long ReadWatermark()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _log.Watermark;
    }

    public ValueTask DisposeAsync()
    {
        lock (_writeLock)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
            _log.Dispose();
            _client.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
