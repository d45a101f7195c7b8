using Threadline.Storage.Sharing;

namespace Threadline.Server.Roles;

/// <summary>
/// This process's role and, where it derives, whether it holds the derivation lease (<c>/api/health</c>'s
/// <c>role</c> and <c>lease</c>).
/// </summary>
public sealed class DeriveStatus(ServerRole role)
{
    private volatile DeriveLeaseResponse? _lease;

    public ServerRole Role { get; } = role;

    /// <summary>Null where this process does not derive.</summary>
    public DeriveLeaseResponse? Lease => _lease;

    internal void Report(DerivationLeaseState state) => _lease = state.Held
        ? new DeriveLeaseResponse("held", null, null, null)
        : new DeriveLeaseResponse("standby", state.Holder, state.HolderRole, state.HolderRenewedAt);

    internal void Lost() => _lease = new DeriveLeaseResponse("lost", null, null, null);

    internal void Failed() => _lease = new DeriveLeaseResponse("failed", null, null, null);
}

/// <param name="State"><c>held</c> (this process derives), <c>standby</c> (another does: <paramref name="Holder"/>), <c>lost</c> or <c>failed</c> (this process stops).</param>
public sealed record DeriveLeaseResponse(string State, string? Holder, string? HolderRole, DateTimeOffset? HolderRenewedAt);
