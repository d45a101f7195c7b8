using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Server.Stitch;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// At start, derives in the background every span committed past the analysis watermark (a crash between a span
/// commit and its derivation, or a folder written before the analysis was stored), while ingest and the API answer.
/// Progress is <see cref="AnalysisState.Derivation"/> (in <c>/api/health</c>) and the log.
/// </summary>
internal sealed partial class AnalysisCatchUp(AnalysisState state, StitchDerivation stitching, ILogger<AnalysisCatchUp> logger) : BackgroundService
{
    /// <summary>Spans per page of the catch-up (the derive role's catch-up uses it too).</summary>
    internal const int PageSize = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting; this work is not on the start's path.
        await Task.Yield();
        // The analysis reads the stitcher's invocations: on a folder both have to derive, it waits for the stitcher.
        await stitching.FirstCatchUp.WaitAsync(stoppingToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            await state.CatchUpAsync(PageSize, stoppingToken).ConfigureAwait(false);
            if (state.Derivation.SpansDone > 0)
                LogDerived(state.Derivation.SpansDone, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogFailed(e, state.Derivation.SpansDone);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis derived {Spans} stored spans past its watermark in {Seconds:F1} s")]
    private partial void LogDerived(long spans, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Analysis of the stored spans past its watermark failed after {Spans} spans; it resumes at the next start")]
    private partial void LogFailed(Exception exception, long spans);
}
