using Threadline.Server.Derivation;
using Threadline.Server.Stitch;
using Threadline.Storage;
using Threadline.Storage.Sharing;

namespace Threadline.Server.Roles;

/// <summary>
/// The derive role of a shared store: once this process holds the derivation lease, it follows the commits every
/// process stores, round after round: ask the store for the commits completed since, stitch up to the last one, then
/// run each <see cref="IDerivationStep"/> (analysis, search) up to the same commit. Every part keeps its watermark in
/// the store, so a derive process that crashes or is stopped resumes where the parts' watermarks are. While another
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
            try
            {
                if (follows)
                    await FollowAsync(held.Token).ConfigureAwait(false);
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
                status.Lost();
                LogLost(lease.Length.TotalSeconds);
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

    private async Task FollowAsync(CancellationToken held)
    {
        var derived = -1L;
        while (!held.IsCancellationRequested)
        {
            try
            {
                var last = await store.RefreshCommitsAsync(held).ConfigureAwait(false);
                if (last != derived)
                {
                    await stitching.CatchUpAsync(held, following: true).ConfigureAwait(false);
                    foreach (var step in steps)
                        await step.CatchUpAsync(held).ConfigureAwait(false);
                    derived = last;
                    continue;
                }
                await Task.Delay(IdlePause, held).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (held.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRoundFailed(e, FailurePause.TotalSeconds);
                try
                {
                    await Task.Delay(FailurePause, held).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "A derivation round failed; trying again in {Seconds} s from the stored watermarks")]
    private partial void LogRoundFailed(Exception exception, double seconds);
}
