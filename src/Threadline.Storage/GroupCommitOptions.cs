namespace Threadline.Storage;

public sealed class GroupCommitOptions
{
    /// <summary>Requests waiting for the writer at most; beyond that, senders are told to retry.</summary>
    public int MaxPendingBatches { get; set; } = 512;

    /// <summary>Records written in one transaction at most (a single larger batch is written alone).</summary>
    public int MaxRecordsPerCommit { get; set; } = 50_000;

    /// <summary>The delay suggested to senders when the queue is full or the store failed.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
