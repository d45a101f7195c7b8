using DuckDB.NET.Data;
using Threadline.Storage.Retention;

namespace Threadline.Storage.DuckDb;

/// <summary>
/// Deleting for retention and the disk budget. A delete takes the same lock as the group-commit writer's transactions,
/// so it runs between two groups and never conflicts with a write; it is one transaction followed by a checkpoint.
/// DuckDB only frees the blocks of a row group once every row of it is deleted (deleted rows inside a row group keep
/// their space, and VACUUM does not reclaim them), so the rows that survive in the row groups the delete touched are
/// moved to the end of the table in the same transaction; the checkpoint then drops those row groups and their blocks
/// are reused. The file does not shrink, but it stops growing. The checkpoint is housekeeping, not part of the delete:
/// DuckDB refuses it while another connection's transaction holds an update or a catalog change (the derived stores'
/// writers), and then the next pass tries it again (DuckDB's own automatic checkpoint may come first).
/// </summary>
public sealed partial class DuckDbTelemetryStore : IStoreRetention
{
    /// <summary>DuckDB's rows per row group (the default of the storage format).</summary>
    private const long RowGroupRows = 122_880;

    /// <summary>A delete's checkpoint was refused; the next pass runs it even when it deletes nothing. Under the write lock.</summary>
    private bool _checkpointOwed;

    private const int CheckpointAttempts = 5;
    private static readonly TimeSpan CheckpointRetryDelay = TimeSpan.FromMilliseconds(20);

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
            // The rows holding the highest sequence may be among those deleted: keep it where the next open finds it.
            Execute($"DELETE FROM commit_sequence; INSERT INTO commit_sequence VALUES ({_lastCommitSequence})", null);
            spans = DeleteAndCompact("spans", "start_time_unix_nano", cutoffUnixNano);
            logs = DeleteAndCompact("logs", "time_unix_nano", cutoffUnixNano);
            // A trace whose latest span is gone is gone; one that straddles the cutoff keeps its row, whose earlier
            // minimum only widens the range its lookup reads.
            DeleteAndCompact("trace_index", "max_start_unix_nano", cutoffUnixNano);
            transaction.Commit();
        }
        if (spans + logs > 0 || _checkpointOwed)
            TryCheckpoint();
        return new DeletedRecords(spans, logs);
    }

    /// <summary>
    /// The delete is committed: a refused checkpoint must not report it as failed (nobody would be told of it). The
    /// derived stores' transactions last milliseconds, so it is tried a few times before being left to the next pass.
    /// </summary>
    private void TryCheckpoint()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Execute("CHECKPOINT", null);
                _checkpointOwed = false;
                return;
            }
            catch (DuckDBException) when (attempt < CheckpointAttempts)
            {
                Thread.Sleep(CheckpointRetryDelay);
            }
            catch (DuckDBException)
            {
                _checkpointOwed = true;
                return;
            }
        }
    }

    private long DeleteAndCompact(string table, string timeColumn, long cutoffUnixNano)
    {
        if (Scalar($"SELECT max(rowid) FROM {table} WHERE {timeColumn} < $cutoff", cutoffUnixNano) is not { } lastDeleted)
            return 0;
        var lastRow = Scalar($"SELECT max(rowid) FROM {table}", null)!.Value;
        var deleted = Execute($"DELETE FROM {table} WHERE {timeColumn} < $cutoff", cutoffUnixNano);
        // Every row group up to the last deleted row: copy its survivors to the end, then delete them there, so the
        // row groups are empty. The copies get row ids past the last existing row, so the second delete spares them.
        var boundary = Math.Min((lastDeleted / RowGroupRows + 1) * RowGroupRows, lastRow + 1);
        Execute($"INSERT INTO {table} SELECT * FROM {table} WHERE rowid < {boundary}", null);
        Execute($"DELETE FROM {table} WHERE rowid < {boundary}", null);
        return deleted;
    }

    private long? Scalar(string sql, long? cutoff)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        if (cutoff is { } value)
            command.Parameters.Add(new DuckDBParameter("cutoff", value));
        return command.ExecuteScalar() is { } result and not DBNull ? Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) : null;
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
