using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Analysis.Configuration;

namespace Threadline.Analysis.Alerts;

/// <summary>
/// The background loop: evaluates the alert rules every <see cref="AnalysisOptions.EvaluationInterval"/> (never when it
/// is null). Spans are derived on the writer loop, not here.
/// </summary>
internal sealed partial class AnalysisLoop(AnalysisOptions options, AlertEvaluator alerts,
    ILogger<AnalysisLoop> logger) : BackgroundService
{
    /// <summary>The longest real wait between looks at the clock, so a clock that jumps (a test's) is followed soon.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextEvaluation = options.EvaluationInterval is { } first ? options.Time.GetUtcNow() + first : DateTimeOffset.MaxValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var untilDue = nextEvaluation - options.Time.GetUtcNow();
            var wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue > MaxIdle ? MaxIdle : untilDue;
            try
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
                if (options.EvaluationInterval is { } interval && options.Time.GetUtcNow() >= nextEvaluation)
                {
                    nextEvaluation = options.Time.GetUtcNow() + interval;
                    await alerts.EvaluateAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Analysis loop step failed")]
    private partial void LogLoopFailed(Exception exception);
}
