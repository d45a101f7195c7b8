namespace Threadline.Storage.Sharing;

/// <summary>
/// Who derives a store that several processes share: exactly one process at a time holds the lease and writes the
/// derived state (stitching, analysis, search, alerts, retention); the others wait as standbys. A holder renews the
/// lease well within its length; one that cannot (paused, cut off from the store) loses it and must stop deriving at
/// once (<see cref="IsHeld"/>), and after the lease's length another process may take it.
/// </summary>
public interface IDerivationLease : IAsyncDisposable
{
    /// <summary>How long a holder keeps the lease after its last renewal.</summary>
    TimeSpan Length { get; }

    /// <summary>Whether this process holds the lease now (false as soon as it may have run out).</summary>
    bool IsHeld { get; }

    /// <summary>Takes the lease when it is free, renews it when this process holds it; else says who holds it.</summary>
    Task<DerivationLeaseState> TryHoldAsync(CancellationToken cancellationToken);

    /// <summary>Who holds the lease now, without taking it: this process, another (<see cref="DerivationLeaseState.Holder"/>), or nobody (a holder of null).</summary>
    Task<DerivationLeaseState> GetStateAsync(CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once (at a clean stop), so a standby need not wait for it to run out.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}

/// <summary>The answer of <see cref="IDerivationLease.TryHoldAsync"/>: held by this process, or by <see cref="Holder"/>.</summary>
/// <param name="Holder">The holding process (host, process id) when another holds it.</param>
/// <param name="HolderRole">That process's <c>--role</c>.</param>
/// <param name="HolderRenewedAt">When the holder last renewed the lease.</param>
public sealed record DerivationLeaseState(bool Held, string? Holder = null, string? HolderRole = null, DateTimeOffset? HolderRenewedAt = null)
{
    public static readonly DerivationLeaseState HeldHere = new(true);
}

/// <summary>The lease of a store that only one process can open (DuckDB's file lock already excludes any other): always held.</summary>
public sealed class SingleProcessLease : IDerivationLease
{
    public TimeSpan Length => Timeout.InfiniteTimeSpan;

    public bool IsHeld => true;

    public Task<DerivationLeaseState> TryHoldAsync(CancellationToken cancellationToken) => Task.FromResult(DerivationLeaseState.HeldHere);

    public Task<DerivationLeaseState> GetStateAsync(CancellationToken cancellationToken) => Task.FromResult(DerivationLeaseState.HeldHere);

    public Task ReleaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
