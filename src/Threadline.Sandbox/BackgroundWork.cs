using System.Collections.Concurrent;

namespace Threadline.Sandbox;

/// <summary>Tasks the sandbox runs on its own (deliveries, pollers, retries), stopped together on shutdown.</summary>
internal sealed class BackgroundWork : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public CancellationToken Stopping => _stopping.Token;

    public void Run(Func<CancellationToken, Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
        });
        _running[task] = 0;
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }
}

/// <summary>Wakes waiters when something changed (a message arrived, a record was appended).</summary>
internal sealed class AsyncSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse()
    {
        TaskCompletionSource current;
        lock (_lock)
        {
            current = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        current.SetResult();
    }

    /// <summary>Returns when pulsed or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task next;
        lock (_lock)
        {
            next = _next.Task;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(next, Task.Delay(timeout, time, timer.Token)).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>An AWS error response: code, message and HTTP status, written in the protocol of the call.</summary>
#pragma warning disable CA1032 // an internal protocol error, always built with its code
public sealed class AwsException(string code, string message, int statusCode = 400) : Exception(message)
#pragma warning restore CA1032
{
    public string Code { get; } = code;

    public int StatusCode { get; } = statusCode;

    /// <summary>Whether the caller is at fault (query protocol <c>Sender</c>) or the service (<c>Receiver</c>).</summary>
    public bool IsSenderFault => StatusCode < 500;
}
