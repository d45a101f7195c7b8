namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// <c>ALTER TABLE … DELETE WHERE</c> and the wait for it: a mutation runs in the background and 18.16 has no
/// <c>mutations_sync</c>, so the caller polls <c>system.mutations</c> until the table has none left undone. A mutation
/// applies to the parts that exist when it starts, so rows inserted meanwhile are never touched.
/// </summary>
public static class ClickHouseMutation
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Deletes the table's rows that meet the condition and waits until it is done; nothing when no row does.</summary>
    public static async Task DeleteAsync(ClickHouseClient client, string table, string condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var name = ClickHouseSql.Identifier(table);
        var any = await client.ScalarAsync($"SELECT count() FROM {name} WHERE {condition}", cancellationToken).ConfigureAwait(false);
        if (any == "0")
            return;
        await client.ExecuteAsync($"ALTER TABLE {name} DELETE WHERE {condition}", cancellationToken).ConfigureAwait(false);
        var where = $"database = {ClickHouseSql.Literal(client.Options.Database)} AND table = {ClickHouseSql.Literal(table)} AND is_done = 0";
        while (await client.ScalarAsync($"SELECT count() FROM system.mutations WHERE {where}", cancellationToken).ConfigureAwait(false) != "0")
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
    }
}
