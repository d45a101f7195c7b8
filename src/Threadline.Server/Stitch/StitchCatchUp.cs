namespace Threadline.Server.Stitch;

/// <summary>
/// Runs <see cref="StitchDerivation.CatchUpAsync"/> in the background from the start (the listeners answer
/// meanwhile), and again after a failure: a live derivation that failed leaves a gap only a catch-up fills.
/// </summary>
internal sealed partial class StitchCatchUp(StitchDerivation derivation, ILogger<StitchCatchUp> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await derivation.CatchUpAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(e, RetryInterval.TotalSeconds);
            }
            try
            {
                // Nothing to do until a live derivation fails (rare); look again now and then.
                await Task.Delay(RetryInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stitching the stored spans past the watermark failed; trying again in {Seconds} s")]
    private partial void LogFailed(Exception exception, double seconds);
}
