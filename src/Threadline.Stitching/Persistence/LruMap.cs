namespace Threadline.Stitching.Persistence;

/// <summary>A dictionary of at most <c>capacity</c> entries that evicts the least recently used one. Not thread-safe.</summary>
internal sealed class LruMap<TKey, TValue>(long capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _recency = new();

    public int Count => _entries.Count;

    /// <summary>The value, marking it recently used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>The value, without changing its recency.</summary>
    public bool TryPeek(TKey key, out TValue value)
    {
        var found = _entries.TryGetValue(key, out var node);
        value = found ? node!.Value.Value : default!;
        return found;
    }

    public bool ContainsKey(TKey key) => _entries.ContainsKey(key);

    public void Set(TKey key, TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            node.Value = (key, value);
            _recency.AddFirst(node);
            return;
        }
        _entries[key] = _recency.AddFirst((key, value));
        while (_entries.Count > capacity && _recency.Last is { } oldest)
        {
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
        }
    }

    public IEnumerable<TValue> Values => _recency.Select(e => e.Value);
}
