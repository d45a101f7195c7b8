using System.Collections.Concurrent;
using DuckDB.NET.Data;
using Threadline.Query.Fields;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.DuckDb.Derived.Search;

/// <summary>
/// The search index in the data folder's DuckDB file (tables <c>search_*</c>, beside the spans). One writer
/// connection (the derivation on the writer loop, the catch-up at start and retention take turns on it); every read
/// opens its own connection to the same database, so reads never wait for the writer.
/// </summary>
public sealed partial class DuckDbSearchIndexStore : ISearchIndexStore
{
    private readonly string _connectionString;
    private readonly DuckDBConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<(AttributeScope Scope, string Key), int> _keys = new();
    /// <summary>Ids of the resource sets stored (used by the writer only).</summary>
    private readonly HashSet<ulong> _resourceSets = [];
    private int _nextKeyId;
    private bool _disposed;

    private DuckDbSearchIndexStore(string connectionString, DuckDBConnection writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>Opens (creating if needed) the search tables in the data folder's database file.</summary>
    public static DuckDbSearchIndexStore Open(DuckDbStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var connectionString = DuckDbFileFormat.ConnectionString(options.DatabasePath);
        var connection = new DuckDBConnection(connectionString);
        try
        {
            connection.Open();
            foreach (var statement in SearchSqlText.Statements(SearchSqlText.Schema))
                Execute(connection, statement);
            Execute(connection, "CREATE OR REPLACE TEMP TABLE search_touched (trace_id_hi UBIGINT, trace_id_lo UBIGINT, span_id UBIGINT)");
            var store = new DuckDbSearchIndexStore(connectionString, connection);
            store.LoadKeys();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task<long> GetWatermarkAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(watermark) FROM search_watermark";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long watermark ? watermark : 0;
    }

    public async Task ReplaceTracesAsync(SearchIndexWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var traces = write.Traces.ToHashSet();
        var invocations = write.Invocations.ToHashSet();
        var rows = write.Rows;
        if (rows.FirstOrDefault(r => !traces.Contains(r.TraceId) && !write.NewTraces.Contains(r.TraceId) && !invocations.Contains((r.TraceId, r.SpanId))) is { } stray)
            throw new ArgumentException($"Row {stray.TraceId:x32}-{stray.SpanId:x16} is not among the traces or invocations replaced, nor of a new trace.", nameof(write));
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var newKeys = new Dictionary<(AttributeScope, string), int>();
            var newSets = new HashSet<ulong>();
            using (var transaction = _writer.BeginTransaction())
            {
                if (traces.Count > 0 || invocations.Count > 0)
                    Delete(traces, invocations, write.StoredFromUnixNano);
                if (rows.Count > 0)
                    AppendRows(rows, newKeys, newSets);
                if (write.Watermark is { } value)
                {
                    Execute(_writer, "DELETE FROM search_watermark");
                    Execute(_writer, "INSERT INTO search_watermark VALUES ($1)", value);
                }
                transaction.Commit();
            }
            // Keys are visible to queries once their rows are committed.
            foreach (var (key, id) in newKeys)
                _keys[key] = id;
            _resourceSets.UnionWith(newSets);
        }
        catch
        {
            // A failed transaction may have taken key ids that were not stored: take them again from the table.
            LoadKeys();
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task DeleteStartedBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            var first = true;
            foreach (var statement in SearchSqlText.Statements(SearchSqlText.DeleteBefore))
            {
                if (first)
                    Execute(_writer, statement, cutoffUnixNano);
                else
                    Execute(_writer, statement);
                first = false;
            }
            transaction.Commit();
            LoadResourceSets();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Delete(HashSet<UInt128> traces, HashSet<(UInt128 TraceId, ulong SpanId)> invocations, long storedFromUnixNano)
    {
        Execute(_writer, "DELETE FROM search_touched");
        // A whole trace is listed with span id 0 (no span has that id).
        var touched = traces.Select(t => (TraceId: t, SpanId: 0UL)).Concat(invocations.Where(i => !traces.Contains(i.TraceId))).ToList();
        // An appender, not INSERT … VALUES with bound parameters: preparing and binding 300 rows took ~11 ms, appending
        // them ~0.7 ms, and every page of the derivation does it.
        using (var appender = _writer.CreateAppender("temp", "main", "search_touched"))
        {
            foreach (var (traceId, spanId) in touched)
                appender.CreateRow().AppendValue((ulong)(traceId >> 64)).AppendValue((ulong)traceId).AppendValue(spanId).EndRow();
        }
        var statements = SearchSqlText.Statements(SearchSqlText.DeleteTraces).ToList();
        Execute(_writer, statements[0].Replace("{stored_from}", Number(storedFromUnixNano), StringComparison.Ordinal));
        using (var command = _writer.CreateCommand())
        {
            command.CommandText = statements[1];
            if (command.ExecuteScalar() is not long firstInv)
                return;
            foreach (var statement in statements.Skip(2))
                Execute(_writer, statement.Replace("{first_inv}", Number(firstInv), StringComparison.Ordinal));
        }
    }

    private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void AppendRows(IReadOnlyList<SearchInvocationRow> rows, Dictionary<(AttributeScope, string), int> newKeys, HashSet<ulong> newSets)
    {
        long firstInv;
        using (var command = _writer.CreateCommand())
        {
            // Takes rows.Count numbers from the sequence at once (the last one taken is returned).
            command.CommandText = $"SELECT max(n) FROM (SELECT nextval('search_inv_seq') AS n FROM range({rows.Count}))";
            firstInv = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) - rows.Count + 1;
        }
        var keyRows = new List<(int Id, AttributeScope Scope, string Key)>();
        // Span attributes are appended sorted by key and value, so that each column compresses better.
        var spanAttributes = new List<(long Inv, int KeyId, SearchAttributeRow Value)>();
        using (var invocations = _writer.CreateAppender("search_invocations"))
        using (var sets = _writer.CreateAppender("search_resource_sets"))
        using (var messages = _writer.CreateAppender("search_message_ids"))
        using (var texts = _writer.CreateAppender("search_texts"))
        {
            for (var n = 0; n < rows.Count; n++)
            {
                var row = rows[n];
                var inv = firstInv + n;
                var resources = row.Attributes.Where(a => a.Scope == AttributeScope.Resource).Distinct().ToList();
                ulong? setId = resources.Count == 0 ? null : ResourceSets.Id(resources);
                if (setId is { } id && !_resourceSets.Contains(id) && newSets.Add(id))
                {
                    foreach (var attribute in resources)
                        AppendValue(sets.CreateRow().AppendValue(id).AppendValue(KeyId(attribute.Scope, attribute.Key, newKeys, keyRows)), attribute);
                }
                invocations.CreateRow()
                    .AppendValue(inv)
                    .AppendValue((ulong)(row.TraceId >> 64))
                    .AppendValue((ulong)row.TraceId)
                    .AppendValue(row.SpanId)
                    .AppendValue(row.StartTimeUnixNano)
                    .AppendValue(row.DurationNanos)
                    .AppendValue(row.Function)
                    .AppendValue(row.Entry)
                    .AppendValue(row.TriggerKind)
                    .AppendValue(row.TriggerResource)
                    .AppendValue(row.Failed)
                    .AppendValue(row.ErrorType)
                    .AppendValue(row.ErrorMessage)
                    .AppendValue(row.ColdStart)
                    .AppendValue(row.Version)
                    .AppendValue(row.User)
                    .AppendValue(row.Vip)
                    .AppendValue(row.RequestId)
                    .AppendValue(setId)
                    .EndRow();
                foreach (var attribute in row.Attributes.Where(a => a.Scope != AttributeScope.Resource).Distinct())
                    spanAttributes.Add((inv, KeyId(attribute.Scope, attribute.Key, newKeys, keyRows), attribute));
                foreach (var messageId in row.MessageIds.Distinct(StringComparer.Ordinal))
                    messages.CreateRow().AppendValue(inv).AppendValue(messageId).EndRow();
                foreach (var text in row.Texts)
                    texts.CreateRow().AppendValue(inv).AppendValue(text.Source).AppendValue(text.Text).EndRow();
            }
        }
        spanAttributes.Sort((a, b) =>
        {
            var order = a.KeyId.CompareTo(b.KeyId);
            if (order == 0)
                order = string.CompareOrdinal(a.Value.Text, b.Value.Text);
            if (order == 0)
                order = Nullable.Compare(a.Value.Number, b.Value.Number);
            return order != 0 ? order : a.Inv.CompareTo(b.Inv);
        });
        using (var attributes = _writer.CreateAppender("search_attributes"))
        {
            foreach (var (inv, keyId, value) in spanAttributes)
                AppendValue(attributes.CreateRow().AppendValue(inv).AppendValue(keyId), value);
        }
        if (keyRows.Count > 0)
        {
            using var keys = _writer.CreateAppender("search_keys");
            foreach (var (id, scope, key) in keyRows)
                keys.CreateRow().AppendValue(id).AppendValue((byte)scope).AppendValue(key).EndRow();
        }
    }

    private static void AppendValue(DuckDB.NET.Data.IDuckDBAppenderRow row, SearchAttributeRow value) =>
        row.AppendValue(value.Text).AppendValue(value.Number).AppendValue(value.Boolean).EndRow();

    private int KeyId(AttributeScope scope, string key, Dictionary<(AttributeScope, string), int> newKeys, List<(int, AttributeScope, string)> keyRows)
    {
        if (_keys.TryGetValue((scope, key), out var id) || newKeys.TryGetValue((scope, key), out id))
            return id;
        id = Interlocked.Increment(ref _nextKeyId);
        newKeys[(scope, key)] = id;
        keyRows.Add((id, scope, key));
        return id;
    }

    private void LoadKeys()
    {
        _keys.Clear();
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT key_id, scope, key FROM search_keys";
        using var reader = command.ExecuteReader();
        var max = 0;
        while (reader.Read())
        {
            var id = reader.GetInt32(0);
            _keys[((AttributeScope)reader.GetByte(1), reader.GetString(2))] = id;
            max = Math.Max(max, id);
        }
        _nextKeyId = max;
        LoadResourceSets();
    }

    private void LoadResourceSets()
    {
        _resourceSets.Clear();
        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT DISTINCT set_id FROM search_resource_sets";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            _resourceSets.Add((ulong)reader.GetValue(0));
    }

    private int? KeyIdOf(AttributeScope scope, string key) => _keys.TryGetValue((scope, key), out var id) ? id : null;

    private async Task<DuckDBConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new DuckDBConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Execute(DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
            command.Parameters.Add(new DuckDBParameter(parameter ?? DBNull.Value));
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
