using Threadline.Storage.ClickHouse;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.ClickHouse.Derived;
using Threadline.Storage.Sharing;

namespace Threadline.Storage.Tests.ClickHouse;

/// <summary>
/// Derived state on a database several processes share (the scale-out roles): the derivation lease lets exactly one
/// process derive, and a process that only reads never removes the rows of a derived write in progress and follows
/// what the deriving process completes.
/// </summary>
public sealed class ClickHouseSharedDerivedStateTests(ClickHouseServerFixture fixture)
{
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Skew = TimeSpan.FromMilliseconds(100);
    private const string Part = "shared_test";
    private const string Table = "shared_test_rows";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_process_holds_the_lease_the_other_is_told_who_until_it_is_released()
    {
        var options = await fixture.OptionsAsync(await NewDatabaseAsync());
        await using var first = await ClickHouseDerivationLease.OpenAsync(options, "host-a pid 1", "derive", Length, Skew, Ct);
        await using var second = await ClickHouseDerivationLease.OpenAsync(options, "host-b pid 2", "ingest,derive", Length, Skew, Ct);

        Assert.True((await first.TryHoldAsync(Ct)).Held);
        Assert.True(first.IsHeld);
        var refused = await second.TryHoldAsync(Ct);
        Assert.False(refused.Held);
        Assert.False(second.IsHeld);
        Assert.Equal(("host-a pid 1", "derive"), (refused.Holder, refused.HolderRole));
        Assert.Equal("host-a pid 1", (await second.GetStateAsync(Ct)).Holder);
        Assert.True((await first.TryHoldAsync(Ct)).Held); // a renewal

        await first.ReleaseAsync(Ct);
        Assert.False(first.IsHeld);
        Assert.Null((await second.GetStateAsync(Ct)).Holder);
        Assert.True((await second.TryHoldAsync(Ct)).Held);
        Assert.Equal("host-b pid 2", (await first.TryHoldAsync(Ct)).Holder);
    }

    [Fact]
    public async Task A_lease_not_renewed_runs_out_for_its_holder_first_and_then_passes_to_another()
    {
        var options = await fixture.OptionsAsync(await NewDatabaseAsync());
        await using var crashed = await ClickHouseDerivationLease.OpenAsync(options, "crashed", "derive", Length, Skew, Ct);
        await using var standby = await ClickHouseDerivationLease.OpenAsync(options, "standby", "derive", Length, Skew, Ct);
        Assert.True((await crashed.TryHoldAsync(Ct)).Held);

        // The holder counts its lease as over before anyone else may take it (twice the clocks' skew earlier).
        while (crashed.IsHeld)
        {
            Assert.False((await standby.TryHoldAsync(Ct)).Held);
            await Task.Delay(50, Ct);
        }
        var deadline = DateTime.UtcNow + Length * 3;
        while (!(await standby.TryHoldAsync(Ct)).Held)
        {
            Assert.True(DateTime.UtcNow < deadline, "the standby never took the lease that ran out");
            await Task.Delay(50, Ct);
        }
        Assert.False((await crashed.TryHoldAsync(Ct)).Held);
    }

    [Fact]
    public async Task A_shared_reader_neither_removes_a_write_in_progress_nor_shows_it_and_follows_its_completion()
    {
        var database = await NewDatabaseAsync();
        using var client = new ClickHouseClient(await fixture.OptionsAsync(database));
        await client.ExecuteAsync($"CREATE TABLE {Table} (id UInt64, version UInt64) ENGINE = MergeTree ORDER BY id", Ct);
        using var writer = await DerivedWriteLog.OpenAsync(client, Part, [Table], Ct, shared: true);
        var version = await writer.BeginAsync(Ct);
        await InsertAsync(client, 1, version);

        using var reader = await DerivedWriteLog.OpenAsync(client, Part, [Table], Ct, shared: true);
        Assert.Equal(1, await CountAsync(client, $"version = {version}"));
        Assert.Equal(0, await CountAsync(client, reader.VisibleFilter));

        await writer.CompleteAsync(version, 7, Ct);
        var deadline = DateTime.UtcNow + DerivedWriteLog.SharedRefreshInterval * 20;
        while (reader.Version != version)
        {
            Assert.True(DateTime.UtcNow < deadline, "the reader did not follow the completed write");
            await Task.Delay(50, Ct);
        }
        Assert.Equal(7, reader.Watermark);
        Assert.Equal(1, await CountAsync(client, reader.VisibleFilter));
    }

    [Fact]
    public async Task The_next_holder_removes_what_a_dead_holders_unfinished_write_left_and_continues_after_its_last_write()
    {
        var database = await NewDatabaseAsync();
        using var client = new ClickHouseClient(await fixture.OptionsAsync(database));
        await client.ExecuteAsync($"CREATE TABLE {Table} (id UInt64, version UInt64) ENGINE = MergeTree ORDER BY id", Ct);
        using var next = await DerivedWriteLog.OpenAsync(client, Part, [Table], Ct, shared: true);
        using (var dead = await DerivedWriteLog.OpenAsync(client, Part, [Table], Ct, shared: true))
        {
            var completed = await dead.BeginAsync(Ct);
            await InsertAsync(client, 1, completed);
            await dead.CompleteAsync(completed, 3, Ct);
            await InsertAsync(client, 2, await dead.BeginAsync(Ct)); // dies before completing
        }

        var version = await next.BeginAsync(Ct);
        Assert.Equal(2UL, version);
        Assert.Equal(3, next.Watermark);
        Assert.Equal(0, await CountAsync(client, "id = 2"));
        await InsertAsync(client, 3, version);
        await next.CompleteAsync(version, 4, Ct);
        Assert.Equal(2, await CountAsync(client, next.VisibleFilter));
    }

    private async Task<string> NewDatabaseAsync()
    {
        var database = ClickHouseServerFixture.NewDatabaseName("shared_derived");
        using var created = await fixture.CreateDatabaseAsync(database);
        return database;
    }

    private static Task InsertAsync(ClickHouseClient client, ulong id, ulong version) =>
        client.InsertAsync(Table, ["id", "version"], row => row.UInt64(id).UInt64(version).EndRow(), Ct);

    private static async Task<long> CountAsync(ClickHouseClient client, string condition) =>
        long.Parse(await client.ScalarAsync($"SELECT count() FROM {Table} WHERE {condition}", Ct) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
}
