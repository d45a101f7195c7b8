using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse;

/// <summary>How the ClickHouse span store connects; the database is created at open when it is missing.</summary>
public sealed record ClickHouseStoreOptions
{
    public required ClickHouseConnectionOptions Connection { get; init; }

    /// <summary>
    /// Several processes write the database (the scale-out, docs/clickhouse.md): commit sequences come from the clock
    /// and a writer slot, and readers see writes once the settled frontier passes them (no read-your-writes).
    /// False (the default): this store is the database's only writer, sequences are dense (1, 2, 3, …).
    /// </summary>
    public bool SharedWriters { get; init; }

    /// <summary>
    /// Shared writers, D: a write whose begin marker is not stored within this time of taking its sequence is
    /// abandoned and retried under a new sequence, so readers treat sequences older than this as settled.
    /// </summary>
    public TimeSpan BeginBound { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Shared writers, T: a write not completed within this time of its sequence fails (its number is a hole), and
    /// readers hold their frontier behind a begun write at most this long. At least three times <see cref="BeginBound"/>.
    /// </summary>
    public TimeSpan CompleteBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Shared writers: how far apart the clocks of the processes may be (NTP keeps them within milliseconds).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Shared writers: how often the store re-reads <c>commits</c> in the background; infinite for none (then call RefreshAsync).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Shared writers: how long a writer slot stays taken after its writer's last heartbeat (heartbeats every third of it).</summary>
    public TimeSpan WriterLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Shared writers: how many span and log records a refresh makes visible at most (whole commits, at least one);
    /// null for all that settled. A derive process sets it so that each of its rounds stays small enough for its caches.
    /// </summary>
    public int? RefreshStepRecords { get; init; }

    internal void ValidateSharedWriters()
    {
        if (!SharedWriters)
            return;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BeginBound, TimeSpan.Zero, nameof(BeginBound));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxClockSkew, TimeSpan.Zero, nameof(MaxClockSkew));
        ArgumentOutOfRangeException.ThrowIfLessThan(CompleteBound, BeginBound * 3, nameof(CompleteBound));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WriterLease, MaxClockSkew * 4, nameof(WriterLease));
        if (RefreshStepRecords is { } step)
            ArgumentOutOfRangeException.ThrowIfLessThan(step, 1, nameof(RefreshStepRecords));
        if (RefreshInterval != Timeout.InfiniteTimeSpan)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RefreshInterval, TimeSpan.Zero, nameof(RefreshInterval));
    }
}
