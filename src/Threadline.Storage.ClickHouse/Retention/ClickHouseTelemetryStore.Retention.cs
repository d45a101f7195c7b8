using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Retention;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// Deleting for retention and the disk budget, with ClickHouse's <c>ALTER TABLE … DELETE</c> (a mutation: the server
/// rewrites the parts that hold deleted rows and drops the parts left empty). A mutation applies to the parts that
/// exist when it starts, so a write that runs meanwhile is never touched. 18.16 has no <c>mutations_sync</c>; the
/// store waits until <c>system.mutations</c> says the mutation is done. `commits` is kept, so the commit sequence
/// continues after every row is gone.
/// </summary>
public sealed partial class ClickHouseTelemetryStore : IStoreRetention
{
    public async Task<DeletedRecords> DeleteBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cutoff = ClickHouseSql.Literal(cutoffUnixNano);
        var visible = _visible.VisibleFilter();
        var counts = await _client.QueryAsync(
            $"SELECT (SELECT count() FROM spans WHERE start_time_unix_nano < {cutoff} AND {visible}), (SELECT count() FROM logs WHERE time_unix_nano < {cutoff} AND {visible})",
            row => new DeletedRecords(row.GetInt64(0), row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        await DeleteAsync("spans", $"start_time_unix_nano < {cutoff}", cancellationToken).ConfigureAwait(false);
        await DeleteAsync("logs", $"time_unix_nano < {cutoff}", cancellationToken).ConfigureAwait(false);
        // A trace whose latest span is gone is gone; one that straddles the cutoff keeps its row, whose earlier minimum
        // only widens the range its lookup reads.
        await DeleteAsync("trace_index", $"max_start_unix_nano < {cutoff}", cancellationToken).ConfigureAwait(false);
        return counts[0];
    }

    private Task DeleteAsync(string table, string condition, CancellationToken cancellationToken) =>
        ClickHouseMutation.DeleteAsync(_client, table, condition, cancellationToken);

    public async Task<long> GetUsedBytesAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bytes = await _client.ScalarAsync(
            $"SELECT sum(bytes_on_disk) FROM system.parts WHERE database = {ClickHouseSql.Literal(Database)} AND active", cancellationToken).ConfigureAwait(false);
        return long.Parse(bytes ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<long?> GetCutoffForOldestAsync(double fraction, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var visible = _visible.VisibleFilter();
        // quantileExact (8 bytes per record in the server's memory, for the rare disk-budget pass) over both tables'
        // times; deleting is "before the cutoff", so step past the quantile itself: at least one record goes.
        var found = await _client.QueryAsync(
            $"""
            SELECT count(), toInt64(quantileExact({fraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})(t)) FROM (
                SELECT start_time_unix_nano AS t FROM spans WHERE {visible}
                UNION ALL
                SELECT time_unix_nano AS t FROM logs WHERE {visible})
            """,
            row => (Count: row.GetInt64(0), Time: row.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        return found[0].Count == 0 ? null : found[0].Time < long.MaxValue ? found[0].Time + 1 : found[0].Time;
    }
}
