using DuckDB.NET.Data;
using Threadline.Storage.Retention;

namespace Threadline.Storage.DuckDb;

/// <summary>
/// Deleting for retention and the disk budget. A delete takes the same lock as the group-commit writer's transactions,
/// so it runs between two groups and never conflicts with a write; it is one short transaction (DuckDB marks rows
/// deleted), followed by a checkpoint that drops emptied row groups and frees their blocks for reuse.
/// </summary>
public sealed partial class DuckDbTelemetryStore : IStoreRetention
{
    public async Task<DeletedRecords> DeleteBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => DeleteLocked(cutoffUnixNano), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private DeletedRecords DeleteLocked(long cutoffUnixNano)
    {
        long spans, logs;
        using (var transaction = _writer.BeginTransaction())
        {
            spans = Execute("DELETE FROM spans WHERE start_time_unix_nano < $cutoff", cutoffUnixNano);
            logs = Execute("DELETE FROM logs WHERE time_unix_nano < $cutoff", cutoffUnixNano);
            transaction.Commit();
        }
        if (spans + logs > 0)
            Execute("CHECKPOINT", null);
        return new DeletedRecords(spans, logs);
    }

    private long Execute(string sql, long? cutoff)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        if (cutoff is { } value)
            command.Parameters.Add(new DuckDBParameter("cutoff", value));
        return command.ExecuteNonQuery();
    }

    public async Task<long> GetUsedBytesAsync(CancellationToken cancellationToken)
    {
        var sizes = await QueryAsync("SELECT used_blocks, block_size FROM pragma_database_size() WHERE database_name = current_database()", [],
            (row, _) => Convert.ToInt64(row.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)
                * Convert.ToInt64(row.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
            cancellationToken).ConfigureAwait(false);
        return sizes.Sum() + FileSize(_databasePath + ".wal");
    }

    public async Task<long?> GetCutoffForOldestAsync(double fraction, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        var cutoffs = await QueryAsync(
            """
            SELECT quantile_disc(t, $fraction) FROM (
                SELECT start_time_unix_nano AS t FROM spans UNION ALL SELECT time_unix_nano FROM logs)
            """,
            [new DuckDBParameter("fraction", fraction)],
            (row, _) => row.IsDBNull(0) ? (long?)null : row.GetInt64(0), cancellationToken).ConfigureAwait(false);
        // Deleting is "before the cutoff", so step past the quantile itself: at least one record goes.
        return cutoffs[0] is { } quantile && quantile < long.MaxValue ? quantile + 1 : cutoffs[0];
    }
}
