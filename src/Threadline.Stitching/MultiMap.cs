namespace Threadline.Stitching;

/// <summary>A dictionary of sets that drops a key with its last value.</summary>
internal sealed class MultiMap<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, HashSet<TValue>> _map = [];

    public IReadOnlyCollection<TValue> Get(TKey key) => _map.TryGetValue(key, out var values) ? values : [];

    public void Set(TKey key, TValue value, bool present)
    {
        if (present)
            Add(key, value);
        else
            Remove(key, value);
    }

    public void Add(TKey key, TValue value)
    {
        if (!_map.TryGetValue(key, out var values))
            _map[key] = values = [];
        values.Add(value);
    }

    public void Remove(TKey key, TValue value)
    {
        if (_map.TryGetValue(key, out var values) && values.Remove(value) && values.Count == 0)
            _map.Remove(key);
    }

    public void Clear() => _map.Clear();
}
