using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>
/// The analysis' derived state on a ClickHouse server (tables in <c>Sql/analysis.sql</c>, beside the span tables). A
/// write inserts its rows (puts and tombstones) tagged with the version <see cref="DerivedWriteLog"/> gives it and
/// becomes visible, with its watermark, when the log completes it. Writes are serialized by the store; reads never
/// wait on them (they filter on the last completed version). Resolutions and recorded deployments are not derived:
/// they are plain inserts, visible once the call returns, and retention keeps them.
/// </summary>
public sealed partial class ClickHouseAnalysisStore : IAnalysisStore
{
    private readonly ClickHouseClient _client;
    private readonly DerivedWriteLog _log;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private bool _disposed;

    private ClickHouseAnalysisStore(ClickHouseClient client, DerivedWriteLog log) => (_client, _log) = (client, log);

    /// <summary>Opens the analysis tables in the connection's database (which must exist), creating them when missing.</summary>
    public static async Task<ClickHouseAnalysisStore> OpenAsync(ClickHouseConnectionOptions connection, CancellationToken cancellationToken, bool shared = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = new ClickHouseClient(connection);
        try
        {
            foreach (var statement in AnalysisSchema.Statements())
                await client.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            var log = await DerivedWriteLog.OpenAsync(client, AnalysisSchema.Part, AnalysisSchema.DerivedTables, cancellationToken, shared).ConfigureAwait(false);
            return new ClickHouseAnalysisStore(client, log);
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

    /// <summary>The live rows of one of the analysis tables as of the last completed write.</summary>
    private string Visible(string table, string columns, string key, string keyFilter) => LatestRows.Of(table, columns, key, _log.VisibleFilter, keyFilter);

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<TabSeparatedReader, T> map, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _client.QueryAsync(sql, map, cancellationToken);
    }

    private static int Limit(int limit) => Math.Max(0, limit);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        await _writeGate.WaitAsync().ConfigureAwait(false);
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
            _writeGate.Release();
        }
    }
}
