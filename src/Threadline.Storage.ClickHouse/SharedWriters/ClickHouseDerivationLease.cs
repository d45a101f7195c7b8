using System.Diagnostics;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Sharing;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// The derivation lease of a shared database in the <c>derive_lease</c> table: one row per claim, renewal or release;
/// the lease is held by the owner whose latest row is not a release and is younger than the lease. ClickHouse has no
/// compare-and-set, so a claim is optimistic, as a writer slot's (<see cref="WriterSlot"/>): insert a claim when no
/// other owner is live, then look again; a claimant that then sees another live owner releases and reports it as the
/// holder. Two claimants can never both hold it: whichever looked again later saw the other's acknowledged claim
/// (both may back off; the next try settles it). A holder counts the lease as ending a lease after it sent its last
/// renewal, less twice the clocks' skew, so it stops before anyone else can take it.
/// </summary>
public sealed class ClickHouseDerivationLease : IDerivationLease
{
    private const string Table = "derive_lease";
    private static readonly string[] Columns = ["owner", "holder", "role", "heartbeat_us", "released"];

    private readonly ClickHouseClient _client;
    private readonly string _holder;
    private readonly string _role;
    private readonly TimeSpan _maxClockSkew;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _validUntil; // Stopwatch timestamp; 0: not held
    private long _lastBeat;

    private ClickHouseDerivationLease(ClickHouseClient client, string holder, string role, TimeSpan length, TimeSpan maxClockSkew)
    {
        (_client, _holder, _role, Length, _maxClockSkew) = (client, holder, role, length, maxClockSkew);
    }

    public string Owner { get; } = Guid.NewGuid().ToString("n");

    public TimeSpan Length { get; }

    public bool IsHeld => Stopwatch.GetTimestamp() < Volatile.Read(ref _validUntil);

    /// <summary>Creates the table when missing (in a database that exists: the span store creates it).</summary>
    public static async Task<ClickHouseDerivationLease> OpenAsync(ClickHouseConnectionOptions connection, string holder, string role,
        TimeSpan length, TimeSpan maxClockSkew, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, maxClockSkew * 4);
        var client = new ClickHouseClient(connection);
        try
        {
            await client.ExecuteAsync(
                $"CREATE TABLE IF NOT EXISTS {Table} (owner String, holder String, role String, heartbeat_us Int64, released UInt8) ENGINE = MergeTree ORDER BY heartbeat_us",
                cancellationToken).ConfigureAwait(false);
            return new ClickHouseDerivationLease(client, holder, role, length, maxClockSkew);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<DerivationLeaseState> TryHoldAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsHeld)
            {
                var renewed = Stopwatch.GetTimestamp();
                await InsertAsync(released: false, cancellationToken).ConfigureAwait(false);
                Renewed(renewed);
                return DerivationLeaseState.HeldHere;
            }
            Volatile.Write(ref _validUntil, 0);
            if ((await LiveOwnersAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(o => o.Owner != Owner) is { } holder)
                return holder.State;
            var sent = Stopwatch.GetTimestamp();
            await InsertAsync(released: false, cancellationToken).ConfigureAwait(false);
            if ((await LiveOwnersAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(o => o.Owner != Owner) is { } rival)
            {
                await InsertAsync(released: true, cancellationToken).ConfigureAwait(false);
                return rival.State;
            }
            Renewed(sent);
            return DerivationLeaseState.HeldHere;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<DerivationLeaseState> GetStateAsync(CancellationToken cancellationToken)
    {
        if (IsHeld)
            return DerivationLeaseState.HeldHere;
        return (await LiveOwnersAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(o => o.Owner != Owner)?.State ?? new DerivationLeaseState(false);
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Interlocked.Exchange(ref _validUntil, 0) != 0)
                await InsertAsync(released: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _lock.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Renewed(long sentTimestamp)
    {
        var valid = Length - _maxClockSkew - _maxClockSkew;
        Volatile.Write(ref _validUntil, sentTimestamp + (long)(valid.TotalSeconds * Stopwatch.Frequency));
    }

    private sealed record LiveOwner(string Owner, DerivationLeaseState State);

    private Task<IReadOnlyList<LiveOwner>> LiveOwnersAsync(CancellationToken cancellationToken)
    {
        // Only rows younger than the lease can make an owner live: the read is a range of the table's order.
        var since = SharedSequence.NowMicros() - SharedSequence.Micros(Length);
        return _client.QueryAsync(
            $"""
            SELECT owner, argMax(holder, heartbeat_us), argMax(role, heartbeat_us), max(heartbeat_us) FROM {Table}
            WHERE heartbeat_us > {ClickHouseSql.Literal(since)} GROUP BY owner HAVING argMax(released, heartbeat_us) = 0
            ORDER BY min(heartbeat_us)
            """,
            row => new LiveOwner(row.GetString(0), new DerivationLeaseState(false, row.GetString(1), row.GetString(2),
                DateTimeOffset.UnixEpoch.AddTicks(row.GetInt64(3) * TimeSpan.TicksPerMicrosecond))), cancellationToken);
    }

    private Task InsertAsync(bool released, CancellationToken cancellationToken)
    {
        // Strictly later than this owner's previous row, so its latest row is never ambiguous.
        var beat = Math.Max(SharedSequence.NowMicros(), _lastBeat + 1);
        _lastBeat = beat;
        return _client.InsertAsync(Table, Columns,
            row => row.String(Owner).String(_holder).String(_role).Int64(beat).UInt8(released ? (byte)1 : (byte)0).EndRow(), cancellationToken);
    }
}
