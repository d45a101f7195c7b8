using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Threadline.Telemetry;

namespace Threadline.Storage;

/// <summary>
/// The sink in front of a store: one writer loop takes every request waiting at that moment and commits
/// them together (group commit), then answers each. A request is answered only after its data is durable;
/// when the queue is full it is refused at once with a retry delay, so memory stays bounded. When a group
/// commit fails, each request of the group is retried alone, so one bad request never fails the others.
/// </summary>
public sealed partial class GroupCommitSink : ITelemetrySink, IAsyncDisposable
{
    private readonly ITelemetryStore _store;
    private readonly IReadOnlyList<ICommittedBatchObserver> _observers;
    private readonly GroupCommitOptions _options;
    private readonly ILogger<GroupCommitSink> _logger;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _writerLoop;
    private readonly WriterTurn _turn;

    public GroupCommitSink(ITelemetryStore store, IEnumerable<ICommittedBatchObserver> observers, GroupCommitOptions options, ILogger<GroupCommitSink> logger,
        WriterTurn? turn = null)
    {
        _turn = turn ?? new WriterTurn();
        _store = store;
        _observers = observers.ToArray();
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.MaxPendingBatches)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerLoop = Task.Run(RunWriterAsync);
    }

    public ValueTask WriteAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        if (batch.IsEmpty)
            return ValueTask.CompletedTask;
        var pending = new PendingWrite(batch);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new TelemetryRejectedException(
                $"Threadline is busy: {_options.MaxPendingBatches} requests are waiting to be stored. Retry later.", _options.RetryAfter);
        }
        return new ValueTask(pending.Completion.Task.WaitAsync(cancellationToken));
    }

    private async Task RunWriterAsync()
    {
        var group = new List<PendingWrite>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var records = 0;
            while (records < _options.MaxRecordsPerCommit && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                records += pending.Batch.Spans.Count + pending.Batch.Logs.Count;
            }
            using (await _turn.TakeAsync(CancellationToken.None).ConfigureAwait(false))
                await CommitAsync(group).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        try
        {
            await _store.WriteAsync(group.ConvertAll(p => p.Batch), CancellationToken.None).ConfigureAwait(false);
            Complete(group);
        }
        catch (Exception e) when (group.Count > 1)
        {
            LogGroupFailed(e, group.Count);
            foreach (var pending in group)
                await CommitAsync([pending]).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogWriteFailed(e);
            group[0].Completion.TrySetException(new TelemetryRejectedException(
                $"Threadline could not store the data ({e.GetType().Name}: {e.Message}). Retry later.", _options.RetryAfter, e));
        }
    }

    private void Complete(List<PendingWrite> group)
    {
        var batches = group.ConvertAll(p => p.Batch);
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnCommitted(batches);
            }
            catch (Exception e)
            {
                // The data is durable; an observer's fault must not turn that into a failure for the sender.
                LogObserverFailed(e, observer.GetType().Name);
            }
        }
        foreach (var pending in group)
            pending.Completion.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
    }

    private sealed record PendingWrite(TelemetryBatch Batch)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} requests failed; retrying each alone")]
    private partial void LogGroupFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a request failed; the sender was told to retry")]
    private partial void LogWriteFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committed-batch observer {Observer} failed")]
    private partial void LogObserverFailed(Exception exception, string observer);
}
