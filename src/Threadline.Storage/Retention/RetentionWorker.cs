using Microsoft.Extensions.Logging;

namespace Threadline.Storage.Retention;

/// <summary>
/// Enforces the retention age and the disk budget in the background, one pass every <see cref="RetentionOptions.Interval"/>,
/// while ingest goes on (the store serializes its deletes with the group-commit writer's transactions).
/// </summary>
public sealed partial class RetentionWorker(
    ITelemetryStore store,
    RetentionOptions options,
    IEnumerable<IDeletionObserver> observers,
    ILogger<RetentionWorker> logger,
    TimeProvider? time = null,
    WriterTurn? turn = null) : IAsyncDisposable
{
    /// <summary>Over budget, a pass deletes down to this share of it, so that it does not run again at once.</summary>
    private const double BudgetTarget = 0.9;

    /// <summary>Deletes per pass at most when the budget is exceeded; the next pass goes on.</summary>
    private const int MaxBudgetSteps = 8;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly WriterTurn _turn = turn ?? new WriterTurn();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    /// <summary>
    /// The latest cutoff whose deletion the observers have not all taken in (one threw): the spans are gone, so the next
    /// pass deletes nothing and would otherwise never tell them; it tells them this cutoff again first.
    /// </summary>
    private long? _untold;
    /// <summary>
    /// The cutoff of a delete that threw: it may have committed before failing (a backend's step after its commit), and
    /// then the next pass deletes nothing. The first later delete that succeeds at this cutoff or past it tells it.
    /// </summary>
    private long? _maybeDeleted;

    /// <summary>Starts the background passes when retention or a budget is configured and the store supports it.</summary>
    public void Start()
    {
        if (!options.Enabled)
            return;
        if (store is not IStoreRetention)
        {
            LogUnsupported(logger, store.GetType().Name);
            return;
        }
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (true)
        {
            try
            {
                await RunPassAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed pass (a disk error, the store closing) is retried on the next one; ingest is not affected.
                LogPassFailed(logger, e);
            }
            try
            {
                await Task.Delay(options.Interval, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: the age first, then the budget. Returns what was deleted.</summary>
    public async Task<DeletedRecords> RunPassAsync(CancellationToken cancellationToken)
    {
        if (store is not IStoreRetention retention)
            return default;
        var deleted = default(DeletedRecords);
        if (options.MaxAge is { } maxAge)
        {
            var cutoff = (_time.GetUtcNow() - maxAge).ToUnixTimeMilliseconds() * 1_000_000;
            DeletedRecords aged;
            // The delete and its observers in one turn of the writer, so no group is committed but not yet derived.
            using (await _turn.TakeAsync(cancellationToken).ConfigureAwait(false))
            {
                aged = await DeleteAsync(retention, cutoff, cancellationToken).ConfigureAwait(false);
                var covered = CoversMaybeDeleted(cutoff);
                Notify(aged.Total > 0 || covered ? cutoff : null);
            }
            if (aged.Total > 0)
                LogAged(logger, aged.Spans, aged.Logs, maxAge);
            deleted = Add(deleted, aged);
        }
        if (options.DiskBudgetBytes is { } budget)
        {
            for (var step = 0; step < MaxBudgetSteps; step++)
            {
                var used = await retention.GetUsedBytesAsync(cancellationToken).ConfigureAwait(false);
                if (used <= budget)
                    break;
                var fraction = Math.Clamp((used - budget * BudgetTarget) / used, 0.01, 1.0);
                if (await retention.GetCutoffForOldestAsync(fraction, cancellationToken).ConfigureAwait(false) is not { } cutoff)
                    break;
                DeletedRecords oldest;
                using (await _turn.TakeAsync(cancellationToken).ConfigureAwait(false))
                {
                    oldest = await DeleteAsync(retention, cutoff, cancellationToken).ConfigureAwait(false);
                    var covered = CoversMaybeDeleted(cutoff);
                    Notify(oldest.Total > 0 || covered ? cutoff : null);
                }
                LogOverBudget(logger, used, budget, oldest.Spans, oldest.Logs);
                deleted = Add(deleted, oldest);
                if (oldest.Total == 0)
                    break;
            }
        }
        return deleted;
    }

    private async Task<DeletedRecords> DeleteAsync(IStoreRetention retention, long cutoff, CancellationToken cancellationToken)
    {
        try
        {
            return await retention.DeleteBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _maybeDeleted = Math.Max(_maybeDeleted ?? long.MinValue, cutoff);
            throw;
        }
    }

    /// <summary>
    /// After a delete at <paramref name="cutoff"/> succeeded: whether it covers a failed one that may have deleted (then
    /// that one is settled, whether or not this delete found rows, and is not told again later).
    /// </summary>
    private bool CoversMaybeDeleted(long cutoff)
    {
        if (_maybeDeleted is not { } maybe || maybe > cutoff)
            return false;
        _maybeDeleted = null;
        return true;
    }

    /// <summary>Under the writer's turn. Tells every observer the cutoff (and first one a failed pass left untold, if later).</summary>
    private void Notify(long? cutoffUnixNano)
    {
        var cutoff = (_untold, cutoffUnixNano) switch
        {
            ({ } untold, { } now) => Math.Max(untold, now),
            (var untold, var now) => untold ?? now,
        };
        if (cutoff is not { } told)
            return;
        _untold = told;
        foreach (var observer in observers)
            observer.OnDeletedBefore(told);
        _untold = null;
    }

    private static DeletedRecords Add(DeletedRecords a, DeletedRecords b) => new(a.Spans + b.Spans, a.Logs + b.Logs);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Spans} spans and {Logs} log records older than {MaxAge}")]
    private static partial void LogAged(ILogger logger, long spans, long logs, TimeSpan maxAge);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk budget: the data took {Used} bytes of {Budget}; deleted the oldest {Spans} spans and {Logs} log records")]
    private static partial void LogOverBudget(ILogger logger, long used, long budget, long spans, long logs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; retrying on the next one")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention is configured but the store {Store} cannot delete; nothing will be deleted")]
    private static partial void LogUnsupported(ILogger logger, string store);
}
