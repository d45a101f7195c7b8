using System.Diagnostics;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// A shared writer's slot (the low bits of its sequences) in the <c>writers</c> table: one row per heartbeat, a slot
/// is live while the latest row of one of its owners is not a release and is younger than the lease. ClickHouse has
/// no compare-and-set, so a claim is optimistic: insert a claim of a free slot, then look again; any other live owner
/// of the slot means a concurrent claim, and every claimant that sees one backs off (release, random pause, another
/// slot). Two claimants can never both win: whichever looked again later saw the other's acknowledged claim. A
/// writer stops taking sequences when its lease may have run out (paused, or ClickHouse unreachable) and claims
/// again, so a slot is reused only after its previous writer stopped using it.
/// </summary>
internal sealed class WriterSlot(ClickHouseClient client, TimeSpan lease, TimeSpan maxClockSkew)
{
    private static readonly string[] Columns = ["slot", "owner", "heartbeat_us", "released"];
    private const int ClaimAttempts = 20;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private Lease? _lease;
    private long _lastBeat;

    /// <summary>A slot and until when (a Stopwatch timestamp) it may be used: its last heartbeat was sent less than the lease ago (minus the clocks' skew, twice).</summary>
    private sealed record Lease(int Slot, long Ends)
    {
        public bool IsValid => Stopwatch.GetTimestamp() < Ends;
    }

    public string Owner { get; } = Guid.NewGuid().ToString("n");

    /// <summary>The slot last held, -1 before the first claim.</summary>
    public int Slot => Volatile.Read(ref _lease)?.Slot ?? -1;

    public bool IsHeld => Volatile.Read(ref _lease)?.IsValid == true;

    /// <summary>Renews the lease, or claims a slot when it has none or lost it.</summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _lease) is not { IsValid: true } lease)
            {
                await ClaimAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            var sent = Stopwatch.GetTimestamp();
            await InsertAsync(lease.Slot, released: false, cancellationToken).ConfigureAwait(false);
            Renewed(lease.Slot, sent);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The slot to take a sequence in now, claiming one when the lease is not held.</summary>
    public async Task<int> HeldSlotAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Volatile.Read(ref _lease) is { IsValid: true } lease)
                return lease.Slot;
            await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Frees the slot at once; the rows are this owner's, so releasing a slot since lost to another writer is harmless.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _lease, null) is { } lease)
            await InsertAsync(lease.Slot, released: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ClaimAttempts; attempt++)
        {
            var live = (await LiveOwnersAsync(null, cancellationToken).ConfigureAwait(false)).Select(o => o.Slot).ToHashSet();
            var free = Enumerable.Range(0, SharedSequence.Slots).Where(s => !live.Contains(s)).ToList();
            if (free.Count == 0)
                throw new InvalidOperationException($"All {SharedSequence.Slots} writer slots of the ClickHouse database {client.Options.Database} are held by live writers.");
            // The lowest free slot first (slots stay small and are reused in order); after a collision, a random one.
            var slot = attempt == 0 ? free[0] : free[Random.Shared.Next(Math.Min(free.Count, 64))];
            var sent = Stopwatch.GetTimestamp();
            await InsertAsync(slot, released: false, cancellationToken).ConfigureAwait(false);
            var rivals = await LiveOwnersAsync(slot, cancellationToken).ConfigureAwait(false);
            if (rivals.All(r => r.Owner == Owner))
            {
                Renewed(slot, sent);
                return;
            }
            await InsertAsync(slot, released: true, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Random.Shared.Next(5, 50 * (attempt + 1)), cancellationToken).ConfigureAwait(false);
        }
        throw new InvalidOperationException($"No writer slot could be claimed in the ClickHouse database {client.Options.Database} after {ClaimAttempts} attempts.");
    }

    private void Renewed(int slot, long sentTimestamp)
    {
        var valid = lease - maxClockSkew - maxClockSkew;
        Volatile.Write(ref _lease, new Lease(slot, sentTimestamp + (long)(valid.TotalSeconds * Stopwatch.Frequency)));
    }

    private Task<IReadOnlyList<(int Slot, string Owner)>> LiveOwnersAsync(int? slot, CancellationToken cancellationToken)
    {
        var since = SharedSequence.NowMicros() - SharedSequence.Micros(lease);
        var where = slot is { } s ? $"WHERE slot = {ClickHouseSql.Literal(s)} " : "";
        return client.QueryAsync(
            $"SELECT slot, owner FROM writers {where}GROUP BY slot, owner HAVING argMax(released, heartbeat_us) = 0 AND max(heartbeat_us) > {ClickHouseSql.Literal(since)}",
            row => ((int)row.GetUInt32(0), row.GetString(1)), cancellationToken);
    }

    private Task InsertAsync(int slot, bool released, CancellationToken cancellationToken)
    {
        // Strictly later than this owner's previous row, so the latest row of an owner is never ambiguous.
        var beat = Math.Max(SharedSequence.NowMicros(), _lastBeat + 1);
        _lastBeat = beat;
        return client.InsertAsync("writers", Columns,
            row => row.UInt32((uint)slot).String(Owner).Int64(beat).UInt8(released ? (byte)1 : (byte)0).EndRow(), cancellationToken);
    }
}
