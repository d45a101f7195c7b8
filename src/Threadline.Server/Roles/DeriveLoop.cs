using Threadline.Server.Derivation;
using Threadline.Server.Stitch;
using Threadline.Storage;
using Threadline.Storage.Sharing;

namespace Threadline.Server.Roles;

/// <summary>
/// The derive role of a shared store: once this process holds the derivation lease, it follows the commits every
/// process stores. It first catches every part up from its stored watermark to the last commit, then, round after
/// round, asks the store for the commits completed since and derives them page by page as the writer loop of a single
/// process derives a commit: the stitcher, then each <see cref="IDerivationStep"/> (analysis, search), with the traces
/// the stitcher first saw (nothing is read back for them); the round's last commit then becomes every part's
/// watermark. Every part keeps its watermark in the store, so a derive process that crashes, fails or is stopped
/// resumes where the parts' watermarks are. While another
/// process holds the lease this one waits as a standby. A round runs under a token that is cancelled when the lease may
/// have run out; a process that lost the lease stops (its caches may be older than what the next holder derives), to
/// be started again as a standby by its supervisor. With the role <c>all</c> (<paramref name="follows"/> false) the
/// process took the lease at start and derives on its writer loop: the loop only keeps the lease.
/// </summary>
internal sealed partial class DeriveLoop(
    bool follows,
    ITelemetryStore store,
    StitchDerivation stitching,
    IEnumerable<IDerivationStep> steps,
    IDerivationLease lease,
    DeriveStatus status,
    IHostApplicationLifetime lifetime,
    ILogger<DeriveLoop> logger) : BackgroundService
{
    private const int PageSize = 2_000;

    /// <summary>The pause between rounds that found nothing new.</summary>
    public static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan FailurePause = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A lease without an end (a store only one process can open) needs no keeping.
        if (!follows && lease.Length == Timeout.InfiniteTimeSpan)
            return;
        await Task.Yield();
        try
        {
            if (!await WaitForLeaseAsync(stoppingToken).ConfigureAwait(false))
                return;
            using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewing = RenewAsync(held);
            var failed = false;
            try
            {
                if (follows)
                    failed = await FollowAsync(held.Token).ConfigureAwait(false);
                else
                    await KeepAsync(held.Token).ConfigureAwait(false);
            }
            finally
            {
                await held.CancelAsync().ConfigureAwait(false);
                await renewing.ConfigureAwait(false);
            }
            if (!stoppingToken.IsCancellationRequested)
            {
                if (failed)
                    status.Failed();
                else
                {
                    status.Lost();
                    LogLost(lease.Length.TotalSeconds);
                }
                Environment.ExitCode = 1;
                lifetime.StopApplication();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (lease.IsHeld)
                await ReleaseQuietlyAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> WaitForLeaseAsync(CancellationToken stoppingToken)
    {
        string? lastHolder = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var state = await lease.TryHoldAsync(stoppingToken).ConfigureAwait(false);
                status.Report(state);
                if (state.Held)
                {
                    LogHeld();
                    return true;
                }
                if (state.Holder != lastHolder)
                    LogStandby(state.Holder ?? "?", state.HolderRole ?? "?");
                lastHolder = state.Holder;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogLeaseFailed(e);
            }
            await Task.Delay(lease.Length / 5, stoppingToken).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>Renews the lease a few times per length; cancels the rounds once it may have run out.</summary>
    private async Task RenewAsync(CancellationTokenSource held)
    {
        while (!held.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(lease.Length / 5, held.Token).ConfigureAwait(false);
                var state = await lease.TryHoldAsync(held.Token).ConfigureAwait(false);
                status.Report(state);
            }
            catch (OperationCanceledException) when (held.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLeaseFailed(e);
            }
            if (!lease.IsHeld)
            {
                await held.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private static async Task KeepAsync(CancellationToken held)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, held).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Catches every part up to the last commit (retried after a failure: the catch-ups start from the stored
    /// watermarks), then derives each round's new commits page by page as the writer loop derives a commit. Returns
    /// true when a round failed: the parts' memory may then be out of step with the store, so the process stops.
    /// </summary>
    private async Task<bool> FollowAsync(CancellationToken held)
    {
        var through = -1L; // not caught up yet
        while (!held.IsCancellationRequested)
        {
            try
            {
                var last = await store.RefreshCommitsAsync(held).ConfigureAwait(false);
                if (through < 0)
                {
                    await stitching.CatchUpAsync(held, following: true).ConfigureAwait(false);
                    foreach (var step in steps)
                        await step.CatchUpAsync(held).ConfigureAwait(false);
                    through = last;
                    continue;
                }
                if (last == through)
                {
                    // A step's background work (the search index's worker) may have failed after the last round.
                    ThrowIfAStepFailed();
                    await Task.Delay(IdlePause, held).ConfigureAwait(false);
                    continue;
                }
                await DeriveRoundAsync(through, last, held).ConfigureAwait(false);
                through = last;
            }
            catch (OperationCanceledException) when (held.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (through < 0)
            {
                LogRoundFailed(e, FailurePause.TotalSeconds);
                try
                {
                    await Task.Delay(FailurePause, held).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
            catch (Exception e)
            {
                LogFollowFailed(e);
                return true;
            }
        }
        return false;
    }

    /// <summary>The commits in (<paramref name="through"/>, <paramref name="last"/>]: their span pages through the stitcher
    /// and then each step, their log pages through the steps, then every part's watermark to <paramref name="last"/>.</summary>
    private async Task DeriveRoundAsync(long through, long last, CancellationToken held)
    {
        await foreach (var page in store.ScanSpansCommittedAfterAsync(through, PageSize, held).ConfigureAwait(false))
        {
            stitching.DeriveCommitted(page, through);
            foreach (var step in steps)
                step.DeriveCommitted(page, [], through);
        }
        await foreach (var logs in store.ScanLogsCommittedAfterAsync(through, PageSize, held).ConfigureAwait(false))
        {
            foreach (var step in steps)
                step.DeriveCommitted([], logs, through);
        }
        stitching.DeriveCommitted([], last);
        foreach (var step in steps)
            step.DeriveCommitted([], [], last);
        ThrowIfAStepFailed();
    }

    private void ThrowIfAStepFailed()
    {
        if (steps.FirstOrDefault(s => s.HasFailed) is { } failed)
            throw new InvalidOperationException($"{failed.GetType().Name} failed deriving in the background (its log says why).");
    }

    private async Task ReleaseQuietlyAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await lease.ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogLeaseFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This process holds the derivation lease: it derives the shared store")]
    private partial void LogHeld();

    [LoggerMessage(Level = LogLevel.Information, Message = "Standing by: {Holder} (role {Role}) holds the derivation lease")]
    private partial void LogStandby(string holder, string role);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The derivation lease may have run out (not renewed within {Seconds} s): this process stops deriving and exits; start it again to stand by")]
    private partial void LogLost(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking or renewing the derivation lease failed; trying again")]
    private partial void LogLeaseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Deriving the new commits failed: this process stops (start it again: it resumes from the stored watermarks)")]
    private partial void LogFollowFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Catching the derived parts up failed; trying again in {Seconds} s from the stored watermarks")]
    private partial void LogRoundFailed(Exception exception, double seconds);
}
