using System.Globalization;
using Threadline.Storage.Sharing;

namespace Threadline.Server.Roles;

/// <summary>
/// Refuses a start that would mix a process with the role <c>all</c> (the store's only writer, deriving on its writer
/// loop) with other processes on one store: <c>all</c> takes the derivation lease at start, and a process with another
/// role does not start while an <c>all</c> process holds it.
/// </summary>
internal static class RoleCheck
{
    public static async Task BeforeStartAsync(ServerRole role, IDerivationLease lease, CancellationToken cancellationToken)
    {
        if (role == ServerRole.All)
        {
            var state = await lease.TryHoldAsync(cancellationToken).ConfigureAwait(false);
            // A process with the role all that ended without releasing (a crash): its lease runs out within its length.
            if (!state.Held && state.HolderRole == "all" && lease.Length != Timeout.InfiniteTimeSpan)
            {
                await Task.Delay(lease.Length, cancellationToken).ConfigureAwait(false);
                state = await lease.TryHoldAsync(cancellationToken).ConfigureAwait(false);
            }
            if (!state.Held)
                throw new InvalidOperationException(
                    $"another Threadline process derives this store: {Describe(state)}. Processes that share a ClickHouse database each need a --role (e.g. ingest,query for several, derive for one); stop that process, or start this one with a role.");
            return;
        }
        if (role.HasFlag(ServerRole.Derive))
            return;
        var holder = await lease.GetStateAsync(cancellationToken).ConfigureAwait(false);
        if (holder.HolderRole == "all")
            throw new InvalidOperationException(
                $"this store is served by a Threadline process with --role all ({Describe(holder)}), its only writer. Give every process of a shared database a role (one derive, any number of ingest and query).");
    }

    private static string Describe(DerivationLeaseState state) =>
        $"{state.Holder} (role {state.HolderRole}, lease renewed {state.HolderRenewedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "?"})";
}
