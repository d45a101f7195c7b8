using System.Diagnostics;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Telemetry;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// The write path and the refresh when several processes write the database (<see cref="ClickHouseStoreOptions.SharedWriters"/>,
/// docs/clickhouse.md "Scale-out"): sequences from the clock and the writer slot, a begin marker stored within D or
/// the sequence is abandoned, the completion marker only within T − D of the sequence.
/// </summary>
public sealed partial class ClickHouseTelemetryStore
{
    private const int BeginAttempts = 3;

    private readonly SharedWriting? _shared;
    private long _lastWritten;

    /// <summary>
    /// Shared writers: the highest sequence at or below which no write can still become visible (readers see the
    /// completed writes up to it); with one writer, <see cref="LastCommitSequence"/>.
    /// </summary>
    public long SettledFrontier => _shared?.Log.Frontier ?? LastCommitSequence;

    /// <summary>The sequence of this store's latest completed write (0 before its first); visible to readers once <see cref="SettledFrontier"/> reaches it.</summary>
    public long LastWrittenSequence => Volatile.Read(ref _lastWritten);

    /// <summary>Shared writers: this store's writer slot (the low 10 bits of its sequences); null with one writer.</summary>
    public int? WriterSlot => _shared?.Slot.Slot;

    /// <summary>Shared writers: the sequences of failed writes readers leave out (empty with one writer, whose holes stay internal).</summary>
    public IReadOnlyList<long> SharedHoles => _shared?.Log.Holes ?? [];

    /// <summary>Tests: runs when a begin marker was acknowledged, before its time is checked (to make it late).</summary>
    internal Func<long, CancellationToken, Task>? AfterBeginMarkerForTest { get; set; }

    /// <summary>Tests: runs after a write's begin marker is stored, before its rows (to hold a write in progress).</summary>
    internal Func<long, CancellationToken, Task>? BeforeRowsForTest { get; set; }

    /// <summary>Shared writers: the highest sequence any writer could have taken when this store opened.</summary>
    internal long OpenedAtSequence => _shared?.OpenedAt ?? 0;

    /// <summary>
    /// Shared writers: re-reads <c>commits</c> past the settled frontier and moves it, the last visible commit and
    /// the holes (the store also does this in the background every <see cref="ClickHouseStoreOptions.RefreshInterval"/>).
    /// Returns <see cref="LastCommitSequence"/>; with one writer, returns it at once.
    /// </summary>
    public Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _shared is null ? Task.FromResult(LastCommitSequence) : _shared.RefreshAsync(cancellationToken);
    }

    Task<long> ITelemetryStore.RefreshCommitsAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    /// <summary>Tests: stops as a crashed process would (no release of the slot, no further heartbeats).</summary>
    internal async Task StopWithoutReleasingAsync()
    {
        if (_shared is not null)
            await _shared.StopAsync(release: false).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteSharedAsync(IReadOnlyList<TelemetryBatch> batches, int spanCount, int logCount, CancellationToken cancellationToken)
    {
        var options = _shared!.Options;
        var (sequence, taken) = await BeginSharedAsync(spanCount, logCount, cancellationToken).ConfigureAwait(false);
        try
        {
            if (BeforeRowsForTest is { } hook)
                await hook(sequence, cancellationToken).ConfigureAwait(false);
            await WriteRowsAsync(batches, sequence, cancellationToken).ConfigureAwait(false);
            // Readers count a begun write as a hole once it is T (plus the skew) old: the completion marker must be
            // in by then, so it is sent only while there is still D left for it.
            if (Stopwatch.GetElapsedTime(taken) > options.CompleteBound - options.BeginBound)
                throw new TimeoutException($"The write of commit {sequence} took longer than {options.CompleteBound - options.BeginBound}; it is not stored.");
        }
        catch
        {
            await AbandonAsync(sequence, rowsMayExist: true).ConfigureAwait(false);
            throw;
        }
        // Not abandoned when this fails: the completion may be stored although its answer was lost.
        await InsertCommitAsync(sequence, 1, spanCount, logCount, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastWritten, sequence);
    }

    private async Task<(long Sequence, long Taken)> BeginSharedAsync(int spanCount, int logCount, CancellationToken cancellationToken)
    {
        var options = _shared!.Options;
        for (var attempt = 1; ; attempt++)
        {
            var slot = await _shared.Slot.HeldSlotAsync(cancellationToken).ConfigureAwait(false);
            var sequence = _shared.Sequence.Next(slot);
            var taken = Stopwatch.GetTimestamp();
            try
            {
                await InsertCommitAsync(sequence, 0, spanCount, logCount, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await AbandonAsync(sequence, rowsMayExist: false).ConfigureAwait(false);
                throw;
            }
            if (AfterBeginMarkerForTest is { } late)
                await late(sequence, cancellationToken).ConfigureAwait(false);
            // Readers take sequences older than D as settled: a begin marker stored later may have been missed.
            if (Stopwatch.GetElapsedTime(taken) <= options.BeginBound)
                return (sequence, taken);
            await AbandonAsync(sequence, rowsMayExist: false).ConfigureAwait(false);
            if (attempt == BeginAttempts)
                throw new TimeoutException($"The begin marker of a write was not stored within {options.BeginBound} in {BeginAttempts} attempts; nothing is stored.");
        }
    }

    /// <summary>
    /// Tells readers at once that the number will never complete: a hole (state 2) when some of its rows may be
    /// stored, settled and nothing to filter (state 3) when none was written. When this fails too, readers count the
    /// number a hole after T.
    /// </summary>
    private async Task AbandonAsync(long sequence, bool rowsMayExist)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_shared!.Options.BeginBound);
            await InsertCommitAsync(sequence, rowsMayExist ? (byte)2 : (byte)3, 0, 0, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClickHouseUnavailableException or ClickHouseServerException or OperationCanceledException or HttpRequestException)
        {
            // The number becomes a hole after T anyway.
        }
    }
}
