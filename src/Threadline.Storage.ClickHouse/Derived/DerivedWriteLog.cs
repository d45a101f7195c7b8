using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse.Derived;

/// <summary>
/// Which writes of one derived part (stitch, analysis, search, alert configuration) are visible, and its watermark.
/// ClickHouse has no transaction over tables (18.16 none at all), so a derived write is made atomic as the span store's
/// are: every row it inserts carries the write's <c>version</c>, and the write counts only once its row is in
/// <c>derived_writes</c>, inserted after all of its rows. Readers keep <see cref="VisibleFilter"/> (versions up to the
/// last completed write), so a write in progress is never half seen.
/// </summary>
/// <remarks>
/// The part's tables are ReplacingMergeTree(version) keyed by the row's id: a put or a delete (a row with
/// <c>deleted = 1</c>) is a newer version of the id, readers take the latest visible version of each id, and merges
/// fold the older ones away. A write that failed part-way left rows with a version past the last completed one; before
/// the next write (and at open) they are deleted with a mutation, so the version is then reused and never holds stale
/// rows. Until that mutation ran, a background merge could prefer such a row over the completed one it replaces; the
/// window is one failed write long and the derivation rewrites what it covered (it restarts from the watermark).
/// The same fold can happen while a write is in progress: a reader may then, for that moment, miss a row that the
/// write is replacing (never see a half write); it is back, in its new version, once the write completes.
/// One writer per part and database (the derive role). When processes share the database (<c>shared</c>), a log does
/// not clean up at open (a process that only reads must never remove the rows of another's write in progress): its
/// first write does, after re-reading the last completed write from <c>derived_writes</c>, as every write then does
/// (the derive lease may have passed between processes since). Meanwhile it re-reads it in the background every
/// <see cref="SharedRefreshInterval"/>, so its readers see what the deriving process completes.
/// </remarks>
internal sealed class DerivedWriteLog : IDisposable
{
    /// <summary>How often a log of a shared database re-reads the last completed write.</summary>
    public static readonly TimeSpan SharedRefreshInterval = TimeSpan.FromMilliseconds(500);

    private const string Table = "derived_writes";

    private readonly ClickHouseClient _client;
    private readonly string _part;
    private readonly IReadOnlyList<string> _tables;
    private State _state;
    private bool _dirty;
    private Timer? _refresh;
    private int _refreshing;
    // The last completed version known with no incomplete write's rows after it (a shared log's own last write or cleanup).
    private ulong _cleanAt = ulong.MaxValue;

    private DerivedWriteLog(ClickHouseClient client, string part, IReadOnlyList<string> tables, State state)
    {
        _client = client;
        _part = part;
        _tables = tables;
        _state = state;
    }

    private sealed record State(ulong Version, long Watermark);

    /// <summary>The part's watermark as of the last completed write (0 when none).</summary>
    public long Watermark => Volatile.Read(ref _state).Watermark;

    /// <summary>The version of the last completed write (0 when none).</summary>
    public ulong Version => Volatile.Read(ref _state).Version;

    /// <summary>Whether other processes share the database (see the remarks).</summary>
    public bool Shared { get; private init; }

    /// <summary>
    /// Creates <c>derived_writes</c> when missing, reads the part's last completed write and, unless
    /// <paramref name="shared"/>, removes the rows of a write that did not complete from <paramref name="tables"/> (each
    /// must have a <c>version UInt64</c> column).
    /// </summary>
    public static async Task<DerivedWriteLog> OpenAsync(ClickHouseClient client, string part, IReadOnlyList<string> tables, CancellationToken cancellationToken,
        bool shared = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {Table} (part String, version UInt64, watermark Int64, at DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY (part, version)",
            cancellationToken).ConfigureAwait(false);
        var log = new DerivedWriteLog(client, part, tables, await ReadLastAsync(client, part, cancellationToken).ConfigureAwait(false))
        {
            _dirty = true,
            Shared = shared,
        };
        if (shared)
            log._refresh = new Timer(_ => log.RefreshInBackground(), null, SharedRefreshInterval, SharedRefreshInterval);
        else
            await log.RemoveIncompleteAsync(cancellationToken).ConfigureAwait(false);
        return log;
    }

    private static async Task<State> ReadLastAsync(ClickHouseClient client, string part, CancellationToken cancellationToken)
    {
        var rows = await client.QueryAsync(
            $"SELECT max(version), argMax(watermark, version) FROM {Table} WHERE part = {ClickHouseSql.Literal(part)}",
            row => new State(row.GetUInt64(0), row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? new State(0, 0) : rows[0];
    }

    /// <summary>Re-reads the last completed write (a shared database: another process may have completed one).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var last = await ReadLastAsync(_client, _part, cancellationToken).ConfigureAwait(false);
        // Completion rows are only ever added: a newer one is adopted, an older answer (a slow query) is not.
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (last.Version <= current.Version || Interlocked.CompareExchange(ref _state, last, current) == current)
                return;
        }
    }

    private void RefreshInBackground()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(SharedRefreshInterval * 10);
                await RefreshAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ClickHouseServerException or ClickHouseUnavailableException or OperationCanceledException or HttpRequestException or ObjectDisposedException)
            {
                // The next tick tries again; readers keep the last completed write they knew.
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        });
    }

    public void Dispose() => _refresh?.Dispose();

    /// <summary>A condition on <c>version</c> that keeps the rows of completed writes.</summary>
    public string VisibleFilter => $"version <= {ClickHouseSql.Literal(Version)}";

    /// <summary>The version the next write tags its rows with (after removing what a failed write left).</summary>
    public async Task<ulong> BeginAsync(CancellationToken cancellationToken)
    {
        if (Shared)
        {
            // The derive lease may have come from another process since this one last wrote: continue after its writes,
            // and clean up after them (a failed write of theirs) when they wrote at all.
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (Version != _cleanAt)
                _dirty = true;
        }
        await RemoveIncompleteAsync(cancellationToken).ConfigureAwait(false);
        _dirty = true; // until Completed: a write that throws leaves rows behind
        return Version + 1;
    }

    /// <summary>All of the write's rows are in: makes them visible and sets the watermark (null keeps it).</summary>
    public async Task CompleteAsync(ulong version, long? watermark, CancellationToken cancellationToken)
    {
        var next = new State(version, watermark ?? Watermark);
        await _client.InsertAsync(Table, ["part", "version", "watermark"],
            writer => writer.String(_part).UInt64(next.Version).Int64(next.Watermark).EndRow(), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _state, next);
        _dirty = false;
        _cleanAt = next.Version;
    }

    /// <summary>
    /// The write failed before its completion row: removes its rows now rather than before the next write, so a merge
    /// has less time to fold a visible row into a newer invisible one. Best effort: a failure leaves it to the next
    /// write, or to the next open.
    /// </summary>
    public async Task AbandonAsync()
    {
        try
        {
            await RemoveIncompleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClickHouseServerException or ClickHouseUnavailableException)
        {
            // Still marked incomplete: removed before the next write.
        }
    }

    private async Task RemoveIncompleteAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
            return;
        var condition = $"version > {ClickHouseSql.Literal(Version)}";
        foreach (var table in _tables)
            await ClickHouseMutation.DeleteAsync(_client, table, condition, cancellationToken).ConfigureAwait(false);
        // A completion row stored although its insert reported a failure: the write is redone under this version.
        await ClickHouseMutation.DeleteAsync(_client, Table, $"part = {ClickHouseSql.Literal(_part)} AND {condition}", cancellationToken).ConfigureAwait(false);
        _dirty = false;
        _cleanAt = Version;
    }
}
