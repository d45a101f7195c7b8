using System.Collections.Immutable;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// Which writes are visible. ClickHouse has no transaction over several tables (and 18.16 none at all), so a write
/// is made atomic by a marker: rows carry their write's commit sequence, and a sequence counts only once `commits`
/// holds its state-1 row, inserted after every row of the write. A write that failed part-way leaves a hole: its
/// number is never reused and readers filter it out (<see cref="VisibleFilter"/>), also after a restart (a sequence
/// with only its state-0 row in `commits`).
/// </summary>
internal sealed class CommitLog : ICommitVisibility
{
    private readonly Lock _lock = new();
    private State _state;
    private long _next;

    private CommitLog(long last, long next, ImmutableArray<long> holes)
    {
        _state = new State(last, holes);
        _next = next;
    }

    private sealed record State(long Last, ImmutableArray<long> Holes);

    public long Last => Volatile.Read(ref _state).Last;

    public static async Task<CommitLog> LoadAsync(ClickHouseClient client, CancellationToken cancellationToken)
    {
        var totals = await client.QueryAsync(
            "SELECT max(seq), maxIf(seq, state = 1) FROM commits",
            row => (Highest: row.GetUInt64(0), LastCommitted: row.GetUInt64(1)), cancellationToken).ConfigureAwait(false);
        var holes = await client.QueryAsync(
            "SELECT seq FROM commits GROUP BY seq HAVING max(state = 1) = 0 ORDER BY seq",
            row => (long)row.GetUInt64(0), cancellationToken).ConfigureAwait(false);
        var (highest, lastCommitted) = totals.Count == 0 ? (0UL, 0UL) : totals[0];
        return new CommitLog((long)lastCommitted, (long)highest + 1, [.. holes]);
    }

    /// <summary>The number the next write takes (the single writer calls this and <see cref="Take"/> under its lock).</summary>
    public long Next => _next;

    /// <summary>
    /// The write's begin marker is in, so its number is taken. Before that nothing of the write was stored (a begin
    /// marker that was stored although its insert failed is harmless: the number's next write commits it), so a
    /// write that fails there gives its number back, and a ClickHouse that is down makes no holes, however long.
    /// </summary>
    public void Take(long sequence) => _next = sequence + 1;

    public void Committed(long sequence)
    {
        lock (_lock)
            Volatile.Write(ref _state, _state with { Last = Math.Max(_state.Last, sequence) });
    }

    public void Failed(long sequence)
    {
        lock (_lock)
            Volatile.Write(ref _state, _state with { Holes = _state.Holes.Add(sequence) });
    }

    /// <summary>A condition on <c>commit_seq</c> that keeps the rows of completed writes up to the latest one.</summary>
    public string VisibleFilter(out long last)
    {
        var state = Volatile.Read(ref _state);
        last = state.Last;
        return Filter(state.Last, state.Holes);
    }

    /// <summary>Rows up to <paramref name="last"/>, without the holes at or below it.</summary>
    public static string Filter(long last, IEnumerable<long> holes)
    {
        var below = holes.Where(h => h <= last).ToList();
        var filter = $"commit_seq <= {ClickHouseSql.Literal(last)}";
        return below.Count == 0 ? filter : $"{filter} AND commit_seq NOT IN ({string.Join(", ", below.Select(ClickHouseSql.Literal))})";
    }
}
