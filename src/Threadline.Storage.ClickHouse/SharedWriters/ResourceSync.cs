using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// Shared writers: the resources and scopes other processes stored reach this store's cache before their spans
/// become visible here (a writer inserts them before its completion marker). The tables change rarely, so their
/// row counts say when to load them again.
/// </summary>
internal sealed class ResourceSync(ClickHouseClient client, ResourceScopeCache cache)
{
    private (ulong Resources, ulong Scopes) _loaded = (ulong.MaxValue, ulong.MaxValue);

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var counts = await client.QueryAsync(
            "SELECT (SELECT count() FROM resources), (SELECT count() FROM scopes)",
            row => (row.GetUInt64(0), row.GetUInt64(1)), cancellationToken).ConfigureAwait(false);
        if (counts[0] == _loaded)
            return;
        await cache.LoadAsync(client, cancellationToken).ConfigureAwait(false);
        _loaded = counts[0];
    }
}
