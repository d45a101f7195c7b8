using Threadline.Query.Fields;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>
/// The search index (issue 16) on ClickHouse: the tables of Sql/search.sql beside the span tables, one row per
/// invocation keyed by its start and id, free text apart. A write is atomic through the part's
/// <see cref="DerivedWriteLog"/> (rows tagged with the write's version, visible once it completed); a replaced
/// invocation gets a tombstone. Writes are serialized by the store; reads never wait for them.
/// </summary>
public sealed partial class ClickHouseSearchIndexStore : ISearchIndexStore
{
    private const string Part = "search";
    /// <summary>Ids per IN list, so that a query stays far below ClickHouse's max_query_size (256 KiB).</summary>
    private const int IdsPerQuery = 500;

    private readonly ClickHouseClient _client;
    private readonly DerivedWriteLog _log;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    /// <summary>Attribute keys and resource sets already stored (used by the writer only).</summary>
    private readonly HashSet<(AttributeScope Scope, string Key)> _storedKeys;
    private readonly HashSet<ulong> _storedSets;
    private bool _disposed;

    private ClickHouseSearchIndexStore(ClickHouseClient client, DerivedWriteLog log, HashSet<(AttributeScope, string)> storedKeys, HashSet<ulong> storedSets)
    {
        _client = client;
        _log = log;
        _storedKeys = storedKeys;
        _storedSets = storedSets;
    }

    /// <summary>Creates the search tables when missing in the connection's database, which must exist.</summary>
    public static async Task<ClickHouseSearchIndexStore> OpenAsync(ClickHouseConnectionOptions connection, CancellationToken cancellationToken, bool shared = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = new ClickHouseClient(connection);
        try
        {
            foreach (var statement in SearchSchema.Statements())
                await client.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            var log = await DerivedWriteLog.OpenAsync(client, Part, SearchSchema.Tables, cancellationToken, shared).ConfigureAwait(false);
            var keys = await client.QueryAsync($"SELECT DISTINCT scope, key FROM search_keys WHERE {log.VisibleFilter}",
                row => ((AttributeScope)row.GetByte(0), row.GetString(1)), cancellationToken).ConfigureAwait(false);
            var sets = await client.QueryAsync($"SELECT DISTINCT set_id FROM search_resource_sets WHERE {log.VisibleFilter}",
                row => row.GetUInt64(0), cancellationToken).ConfigureAwait(false);
            return new ClickHouseSearchIndexStore(client, log, [.. keys], [.. sets]);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public Task<long> GetWatermarkAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.FromResult(_log.Watermark);
    }

    public async Task ReplaceTracesAsync(SearchIndexWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var traces = write.Traces.ToHashSet();
        var invocations = write.Invocations.Where(i => !traces.Contains(i.TraceId)).ToHashSet();
        if (write.Rows.FirstOrDefault(r => !traces.Contains(r.TraceId) && !write.NewTraces.Contains(r.TraceId) && !write.Invocations.Contains((r.TraceId, r.SpanId))) is { } stray)
            throw new ArgumentException($"Row {stray.TraceId:x32}-{stray.SpanId:x16} is not among the traces or invocations replaced, nor of a new trace.", nameof(write));
        // One row per invocation (the last given wins): two versions of one key in a write would tie.
        var rows = write.Rows.GroupBy(r => (r.TraceId, r.SpanId)).Select(g => g.Last()).ToList();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var version = await _log.BeginAsync(cancellationToken).ConfigureAwait(false);
            var old = await ReadStoredKeysAsync(traces, invocations, write.StoredFromUnixNano, cancellationToken).ConfigureAwait(false);
            // A key put again needs no tombstone: the put is its newer version.
            var put = rows.Select(SearchRowKey.Of).ToHashSet();
            var withTexts = rows.Where(r => r.Texts.Count > 0).Select(SearchRowKey.Of).ToHashSet();
            var sets = rows.Select(SearchResourceSet.Of).OfType<SearchResourceSet>().DistinctBy(s => s.Id).Where(s => !_storedSets.Contains(s.Id)).ToList();
            var keys = rows.SelectMany(r => r.Attributes).Select(a => (a.Scope, a.Key)).Distinct().Where(k => !_storedKeys.Contains(k)).ToList();

            await SearchRowsInsert.TombstonesAsync(_client, "search_invocations", [.. old.Where(o => !put.Contains(o.Key)).Select(o => o.Key)], version, cancellationToken).ConfigureAwait(false);
            await SearchRowsInsert.TombstonesAsync(_client, "search_texts", [.. old.Where(o => o.HasTexts && !withTexts.Contains(o.Key)).Select(o => o.Key)], version, cancellationToken).ConfigureAwait(false);
            await SearchRowsInsert.InvocationsAsync(_client, rows, version, cancellationToken).ConfigureAwait(false);
            await SearchRowsInsert.TextsAsync(_client, rows, version, cancellationToken).ConfigureAwait(false);
            await SearchRowsInsert.StartsAsync(_client, rows, version, cancellationToken).ConfigureAwait(false);
            await SearchRowsInsert.ResourceSetsAsync(_client, sets, version, cancellationToken).ConfigureAwait(false);
            await SearchRowsInsert.KeysAsync(_client, keys, version, cancellationToken).ConfigureAwait(false);
            await _log.CompleteAsync(version, write.Watermark, cancellationToken).ConfigureAwait(false);
            // Known as stored only once the write is visible: a failed write's rows are removed before the next one.
            _storedSets.UnionWith(sets.Select(s => s.Id));
            _storedKeys.UnionWith(keys);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The keys of the visible invocations of the traces and of the single invocations, with whether they have texts.
    /// Bounded by <paramref name="storedFromUnixNano"/> (where the writer says the old rows start): the key leads with
    /// the start, so only that range of the index is read.
    /// </summary>
    private async Task<List<(SearchRowKey Key, bool HasTexts)>> ReadStoredKeysAsync(HashSet<UInt128> traces, HashSet<(UInt128 TraceId, ulong SpanId)> invocations, long storedFromUnixNano, CancellationToken cancellationToken)
    {
        var found = new List<(SearchRowKey, bool)>();
        var byTrace = traces.Select(t => $"({ClickHouseSql.Literal((ulong)(t >> 64))}, {ClickHouseSql.Literal((ulong)t)})");
        var byInvocation = invocations.Select(IdTuple);
        foreach (var chunk in byTrace.Select(t => (Trace: true, Text: t)).Concat(byInvocation.Select(i => (Trace: false, Text: i))).Chunk(IdsPerQuery))
        {
            var conditions = new List<string>();
            if (chunk.Any(c => c.Trace))
                conditions.Add($"(trace_hi, trace_lo) IN ({string.Join(", ", chunk.Where(c => c.Trace).Select(c => c.Text))})");
            if (chunk.Any(c => !c.Trace))
                conditions.Add($"(trace_hi, trace_lo, span_id) IN ({string.Join(", ", chunk.Where(c => !c.Trace).Select(c => c.Text))})");
            var sql = $"SELECT {SearchColumns.Key}, has_texts FROM (SELECT {SearchColumns.Key}, deleted, has_texts FROM search_invocations"
                + $" WHERE {_log.VisibleFilter} AND start_time >= {ClickHouseSql.Literal(storedFromUnixNano)} AND ({string.Join(" OR ", conditions)})"
                + $" ORDER BY version DESC LIMIT 1 BY {SearchColumns.Key}) WHERE deleted = 0";
            found.AddRange(await _client.QueryAsync(sql,
                row => (new SearchRowKey(row.GetInt64(0), row.GetUInt64(1), row.GetUInt64(2), row.GetUInt64(3)), row.GetByte(4) == 1),
                cancellationToken).ConfigureAwait(false));
        }
        return found;
    }

    private static string IdTuple((UInt128 TraceId, ulong SpanId) id) =>
        $"({ClickHouseSql.Literal((ulong)(id.TraceId >> 64))}, {ClickHouseSql.Literal((ulong)id.TraceId)}, {ClickHouseSql.Literal(id.SpanId)})";

    /// <summary>
    /// Deletes with mutations (all versions and tombstones of the invocations before the cutoff), invocations first so
    /// that no reader sees an invocation without its texts. Resource sets and attribute keys stay: keys are "ever
    /// stored", and a set is one small row shared by many invocations. search_starts is keyed by id, so its mutation
    /// (and the count before it) reads its start column whole.
    /// </summary>
    public async Task DeleteStartedBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var condition = $"start_time < {ClickHouseSql.Literal(cutoffUnixNano)}";
            foreach (var table in new[] { "search_invocations", "search_texts", "search_starts" })
                await ClickHouseMutation.DeleteAsync(_client, table, condition, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            _log.Dispose();
            _client.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
