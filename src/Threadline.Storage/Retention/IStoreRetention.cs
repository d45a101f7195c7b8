namespace Threadline.Storage.Retention;

/// <summary>
/// What a store offers for retention and its disk budget (see docs/storage-contract.md, "Deleting"). Deleting runs
/// alongside writes and reads and never fails or loses a concurrent write.
/// </summary>
public interface IStoreRetention
{
    /// <summary>Deletes every span that started, and every log record timed, before <paramref name="cutoffUnixNano"/>.</summary>
    Task<DeletedRecords> DeleteBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken);

    /// <summary>The bytes the stored data takes on disk now (space freed by deletes and reusable is not counted).</summary>
    Task<long> GetUsedBytesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The time before which about <paramref name="fraction"/> of the stored records lie (so deleting before it frees
    /// about that share), or null when the store is empty.
    /// </summary>
    Task<long?> GetCutoffForOldestAsync(double fraction, CancellationToken cancellationToken);
}

public readonly record struct DeletedRecords(long Spans, long Logs)
{
    public long Total => Spans + Logs;
}
