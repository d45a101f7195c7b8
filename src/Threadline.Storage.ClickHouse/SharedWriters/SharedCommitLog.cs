using System.Collections.Immutable;
using System.Diagnostics;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// What readers see when several processes write the database. The settled frontier is the highest sequence at or
/// below which no write can still become visible: a writer stores its begin marker (state 0) within D of taking its
/// clock-based sequence or abandons it, and inserts its completion (state 1) only within T − D of it. So a refresh
/// that takes the time before reading <c>commits</c> knows every write that can still complete at or below
/// now − D − skew: the frontier is that, or just below the oldest begun write without completion that is younger
/// than T + skew. A begun write older than that, or one its writer marked abandoned (state 2), is a hole: never
/// shown, whatever its rows. One abandoned before any row was written (state 3) is simply settled. Readers see the
/// completed writes up to the latest at or below the frontier (<see cref="Last"/>).
/// </summary>
internal sealed class SharedCommitLog(ClickHouseClient client, ClickHouseStoreOptions options) : ICommitVisibility
{
    /// <summary>Holes are dropped once no span or log row is as old; checked at most this often.</summary>
    private static readonly TimeSpan HolePruneInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private State _state = new(0, 0, []);
    private long _lastPrune = Stopwatch.GetTimestamp();

    private sealed record State(long Frontier, long Last, ImmutableArray<long> Holes);

    public long Last => Volatile.Read(ref _state).Last;

    public long Frontier => Volatile.Read(ref _state).Frontier;

    public IReadOnlyList<long> Holes => Volatile.Read(ref _state).Holes;

    public string VisibleFilter(out long last)
    {
        var state = Volatile.Read(ref _state);
        last = state.Last;
        return CommitLog.Filter(state.Last, state.Holes);
    }

    /// <summary>
    /// Reads the writes past the frontier that did not complete (holes and writes in progress) and the latest
    /// completion up to the new frontier, and moves the frontier, the last visible commit and the holes. Returns
    /// <see cref="Last"/>.
    /// <paramref name="beforeNewCommits"/> runs before newly completed writes become visible.
    /// </summary>
    public async Task<long> RefreshAsync(Func<CancellationToken, Task>? beforeNewCommits, CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Volatile.Read(ref _state);
            // The time is taken before the query: every write that can still complete at or below the bound had its
            // begin marker stored before this moment, so the query's answer holds it.
            var now = SharedSequence.NowMicros();
            // Only the writes that did not complete (holes and writes in progress) come back, however many completed.
            var open = await client.QueryAsync(
                $"""
                SELECT seq, max(state = 2) FROM commits WHERE seq > {ClickHouseSql.Literal(state.Frontier)}
                GROUP BY seq HAVING max(state = 1) = 0 AND max(state = 3) = 0 ORDER BY seq
                """,
                row => (Sequence: (long)row.GetUInt64(0), Abandoned: row.GetByte(1) == 1), cancellationToken).ConfigureAwait(false);
            var frontier = SharedSequence.HighestAt(now - SharedSequence.Micros(options.BeginBound + options.MaxClockSkew));
            if (options.RefreshStepRecords is { } step)
                frontier = Math.Min(frontier, await StepEndAsync(state.Frontier, frontier, step, cancellationToken).ConfigureAwait(false));
            var expired = now - SharedSequence.Micros(options.CompleteBound + options.MaxClockSkew);
            var holes = new List<long>();
            foreach (var (sequence, abandoned) in open)
            {
                if (sequence > frontier)
                    break;
                if (abandoned || SharedSequence.MicrosOf(sequence) < expired)
                    holes.Add(sequence);
                else
                {
                    frontier = sequence - 1;
                    break;
                }
            }
            // The clock can step back (NTP); the frontier never does.
            frontier = Math.Max(frontier, state.Frontier);
            var last = state.Last;
            if (frontier > state.Frontier)
            {
                var completed = await client.ScalarAsync(
                    $"SELECT max(seq) FROM commits WHERE state = 1 AND seq > {ClickHouseSql.Literal(state.Frontier)} AND seq <= {ClickHouseSql.Literal(frontier)}",
                    cancellationToken).ConfigureAwait(false);
                last = Math.Max(last, long.Parse(completed ?? "0", System.Globalization.CultureInfo.InvariantCulture));
            }
            var next = new State(frontier, last, holes.Count == 0 ? state.Holes : state.Holes.AddRange(holes));
            next = await PruneHolesAsync(next, now, cancellationToken).ConfigureAwait(false);
            if (next.Last != state.Last && beforeNewCommits is not null)
                await beforeNewCommits(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _state, next);
            return next.Last;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>
    /// The highest frontier that keeps what a refresh makes visible to about <paramref name="step"/> records: the
    /// completed commits past <paramref name="from"/>, whole, until their spans and logs reach the step (at least one).
    /// A lower frontier is always safe: it only makes visible later what could be visible now.
    /// </summary>
    private async Task<long> StepEndAsync(long from, long frontier, int step, CancellationToken cancellationToken)
    {
        var commits = await client.QueryAsync(
            $"""
            SELECT seq, span_count + log_count FROM commits WHERE state = 1 AND seq > {ClickHouseSql.Literal(from)} AND seq <= {ClickHouseSql.Literal(frontier)}
            ORDER BY seq LIMIT {ClickHouseSql.Literal(step)}
            """,
            row => (Sequence: (long)row.GetUInt64(0), Records: (long)row.GetUInt64(1)), cancellationToken).ConfigureAwait(false);
        long records = 0;
        foreach (var (sequence, count) in commits)
        {
            records += count;
            if (records >= step)
                return sequence;
        }
        return frontier;
    }

    /// <summary>
    /// Drops the holes older than every stored span and log (retention deleted their rows), and older than ten times
    /// T, so a write that hung past T cannot still be inserting rows under the number.
    /// </summary>
    private async Task<State> PruneHolesAsync(State state, long now, CancellationToken cancellationToken)
    {
        if (state.Holes.IsEmpty || Stopwatch.GetElapsedTime(_lastPrune) < HolePruneInterval)
            return state;
        _lastPrune = Stopwatch.GetTimestamp();
        var oldest = await client.QueryAsync(
            "SELECT (SELECT count() FROM spans), (SELECT min(commit_seq) FROM spans), (SELECT count() FROM logs), (SELECT min(commit_seq) FROM logs)",
            row => Math.Min(row.GetUInt64(0) == 0 ? long.MaxValue : (long)row.GetUInt64(1), row.GetUInt64(2) == 0 ? long.MaxValue : (long)row.GetUInt64(3)),
            cancellationToken).ConfigureAwait(false);
        var settled = SharedSequence.Of(now - SharedSequence.Micros(options.CompleteBound * 10), 0);
        var bound = Math.Min(oldest[0], settled);
        var kept = state.Holes.RemoveAll(h => h < bound);
        return kept.Length == state.Holes.Length ? state : state with { Holes = kept };
    }
}
