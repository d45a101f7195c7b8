using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Threadline.Storage.ClickHouse.Client;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// The parts of a store in shared-writers mode: its slot, its sequences, what it sees, and the background loop that
/// refreshes what it sees and renews the slot's lease.
/// </summary>
internal sealed class SharedWriting
{
    private readonly ClickHouseStoreOptions _options;
    private readonly ILogger? _logger;
    private readonly CancellationTokenSource _stop = new();
    private ResourceSync? _resources;
    private Task _background = Task.CompletedTask;

    private SharedWriting(ClickHouseStoreOptions options, ILogger? logger, SharedCommitLog log, WriterSlot slot, WriterSequence sequence, long openedAt)
    {
        _options = options;
        _logger = logger;
        Log = log;
        Slot = slot;
        Sequence = sequence;
        OpenedAt = openedAt;
    }

    public SharedCommitLog Log { get; }

    public WriterSlot Slot { get; }

    public WriterSequence Sequence { get; }

    public ClickHouseStoreOptions Options => _options;

    /// <summary>The highest sequence any writer could have taken when the store opened.</summary>
    public long OpenedAt { get; }

    public static async Task<SharedWriting> OpenAsync(ClickHouseClient client, ClickHouseStoreOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        options.ValidateSharedWriters();
        var openedAt = SharedSequence.HighestAt(SharedSequence.NowMicros());
        var slot = new WriterSlot(client, options.WriterLease, options.MaxClockSkew);
        await slot.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        // Past every number taken so far, whatever the clock says (it may have stepped back since the last run).
        var highest = await client.ScalarAsync("SELECT max(seq) FROM commits", cancellationToken).ConfigureAwait(false);
        var log = new SharedCommitLog(client, options);
        await log.RefreshAsync(null, cancellationToken).ConfigureAwait(false);
        return new SharedWriting(options, logger, log, slot, new WriterSequence(long.Parse(highest ?? "0", System.Globalization.CultureInfo.InvariantCulture)), openedAt);
    }

    public void Start(ClickHouseClient client, ResourceScopeCache cache)
    {
        _resources = new ResourceSync(client, cache);
        _background = RunAsync(_stop.Token);
    }

    /// <summary>Re-reads <c>commits</c>; the resources of newly visible writes are loaded before they become visible.</summary>
    public Task<long> RefreshAsync(CancellationToken cancellationToken) =>
        Log.RefreshAsync(_resources is { } resources ? resources.CatchUpAsync : null, cancellationToken);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var heartbeat = _options.WriterLease / 3;
        var tick = _options.RefreshInterval == Timeout.InfiniteTimeSpan ? heartbeat : TimeSpan.FromTicks(Math.Min(heartbeat.Ticks, _options.RefreshInterval.Ticks));
        var lastBeat = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (_options.RefreshInterval != Timeout.InfiniteTimeSpan)
                        await RefreshAsync(cancellationToken).ConfigureAwait(false);
                    if (Stopwatch.GetElapsedTime(lastBeat) >= heartbeat || !Slot.IsHeld)
                    {
                        await Slot.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
                        lastBeat = Stopwatch.GetTimestamp();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _logger?.LogWarning(e, "ClickHouse shared writers: refreshing the visible commits or renewing writer slot {Slot} failed; trying again.", Slot.Slot);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops the loop; <paramref name="release"/> frees the slot at once (a writer that stops without it keeps the slot until its lease ends).</summary>
    public async Task StopAsync(bool release)
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _background.ConfigureAwait(false);
        if (!release)
            return;
        try
        {
            using var timeout = new CancellationTokenSource(_options.BeginBound);
            await Slot.ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClickHouseUnavailableException or ClickHouseServerException or OperationCanceledException or HttpRequestException)
        {
            _logger?.LogWarning(e, "ClickHouse shared writers: releasing writer slot {Slot} failed; it is free again after its lease.", Slot.Slot);
        }
    }
}
