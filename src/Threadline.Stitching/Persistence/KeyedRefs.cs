namespace Threadline.Stitching.Persistence;

/// <summary>The store indexes invocations by key; the engine asks for the producing keys and writes themselves.</summary>
internal static class KeyedRefs
{
    /// <summary>Each outbound key equal to <paramref name="key"/> of each invocation (as <see cref="InMemoryStitchState"/> indexes them).</summary>
    public static IReadOnlyCollection<ProducerRef> Producers(IEnumerable<InvocationId> ids, string key, Func<InvocationId, Invocation?> get)
    {
        var producers = new HashSet<ProducerRef>();
        foreach (var invocation in ids.Select(get).OfType<Invocation>())
        {
            foreach (var outbound in invocation.Outbound.Where(o => o.Key == key))
                producers.Add(new ProducerRef(invocation.Id, outbound));
        }
        return producers;
    }

    /// <summary>Each write of each invocation to <paramref name="table"/> whose pairs include <paramref name="pair"/>.</summary>
    public static IReadOnlyCollection<WriteRef> Writes(IEnumerable<InvocationId> ids, string table, string pair, Func<InvocationId, Invocation?> get)
    {
        var writes = new List<WriteRef>();
        foreach (var invocation in ids.Select(get).OfType<Invocation>())
        {
            foreach (var write in invocation.Writes.Where(w => w.Table == table && w.Pairs.Contains(pair)))
                writes.Add(new WriteRef(invocation.Id, write));
        }
        return writes;
    }
}
