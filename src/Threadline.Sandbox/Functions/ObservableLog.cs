namespace Threadline.Sandbox.Functions;

/// <summary>An append-only log that callers can wait on, with a bounded deadline; the oldest items beyond its capacity are dropped.</summary>
public sealed class ObservableLog<T>(int capacity = 10_000)
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<T>? Added;

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock)
        {
            return [.. _items];
        }
    }

    internal void Add(T item)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _items.Add(item);
            if (_items.Count > capacity)
            {
                _items.RemoveRange(0, _items.Count - capacity);
            }

            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
        Added?.Invoke(item);
    }

    /// <summary>Waits until the items logged so far satisfy <paramref name="condition"/>.</summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<T>> WaitUntilAsync(
        Func<IReadOnlyList<T>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            IReadOnlyList<T> items;
            lock (_lock)
            {
                items = [.. _items];
                changed = _changed.Task;
            }

            if (condition(items))
            {
                return items;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Condition not met within {timeout} ({items.Count} items logged).");
            }
        }
    }

    /// <summary>Waits for the first item matching <paramref name="predicate"/>.</summary>
    public async Task<T> WaitForAsync(
        Func<T, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var items = await WaitUntilAsync(all => all.Any(predicate), timeout, cancellationToken).ConfigureAwait(false);
        return items.First(predicate);
    }
}
