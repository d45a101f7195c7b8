using System.Diagnostics;
using System.Globalization;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Bench.Suites;

/// <summary>Waits on the bench's own ClickHouse server: for its merges, and for Threadline's derived parts to reach the last span commit.</summary>
internal static class ClickHouseWaits
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>Until system.merges has been empty for three polls in a row (the server is the bench's alone).</summary>
    public static async Task<string> MergesSettledAsync(ClickHouseClient client)
    {
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        while (clock.Elapsed < Limit)
        {
            var running = await client.ScalarAsync("SELECT count() FROM system.merges", CancellationToken.None, database: "default");
            quiet = running == "0" ? quiet + 1 : 0;
            if (quiet >= 3)
                return string.Create(CultureInfo.InvariantCulture, $"merges settled {clock.Elapsed.TotalSeconds:F1} s after Threadline's exit");
            await Task.Delay(Poll);
        }
        return $"merges still running {Limit.TotalSeconds:F0} s after Threadline's exit";
    }

    /// <summary>
    /// Until the stitch, analysis and search parts' watermarks (derived_writes) reach the last completed commit holding
    /// spans, or they and <paramref name="progress"/> stop moving for <paramref name="stall"/> (default 10 s; a part may
    /// hold its watermark back, and moves it only at the end of a round) or <paramref name="limit"/> (default 2 min) passed; says which.
    /// </summary>
    /// <param name="progress">What moves within a round (e.g. the parts' derived writes of each page).</param>
    public static async Task<DerivedCatchUp> DerivedCaughtUpAsync(ClickHouseClient client, string database, TimeSpan? stall = null, TimeSpan? limit = null,
        Func<Task<string>>? progress = null)
    {
        var db = ClickHouseSql.Identifier(database);
        var clock = Stopwatch.StartNew();
        var lastChange = TimeSpan.Zero;
        var previous = "";
        while (true)
        {
            var commit = long.Parse((await client.ScalarAsync($"SELECT max(seq) FROM {db}.commits WHERE state = 1 AND span_count > 0", CancellationToken.None, database: "default"))!,
                CultureInfo.InvariantCulture);
            var parts = await client.QueryAsync(
                $"SELECT part, max(watermark) FROM {db}.derived_writes WHERE part IN ('stitch', 'analysis', 'search') GROUP BY part ORDER BY part",
                row => (Part: row.GetString(0), Watermark: row.GetInt64(1)), CancellationToken.None, database: "default");
            var state = string.Join(", ", parts.Select(p => $"{p.Part} {p.Watermark}")) + $" of commit {commit}";
            if (parts.Count == 3 && parts.All(p => p.Watermark >= commit))
                return new DerivedCatchUp(true, clock.Elapsed, state);
            var moved = state + (progress is null ? "" : await progress());
            if (moved != previous)
                (previous, lastChange) = (moved, clock.Elapsed);
            if (clock.Elapsed - lastChange > (stall ?? TimeSpan.FromSeconds(10)) || clock.Elapsed > (limit ?? Limit))
                return new DerivedCatchUp(false, clock.Elapsed, state);
            await Task.Delay(Poll);
        }
    }
}

/// <summary>How <see cref="ClickHouseWaits.DerivedCaughtUpAsync"/> ended: at the last commit after <paramref name="Elapsed"/>, or behind (<paramref name="State"/>: the watermarks).</summary>
internal sealed record DerivedCatchUp(bool AtLastCommit, TimeSpan Elapsed, string State)
{
    /// <param name="since">What the wait began after, e.g. "the stitching check".</param>
    public string Describe(string since) => AtLastCommit
        ? string.Create(CultureInfo.InvariantCulture, $"derived parts at the last commit {Elapsed.TotalSeconds:F1} s after {since}")
        : $"derived parts behind after {Elapsed.TotalSeconds:F0} s: {State}";
}
