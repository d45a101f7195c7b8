namespace Threadline.Bench.Workload;

/// <summary>A uniform sample (reservoir) of generated transactions: ids to query and what the stitcher should find.</summary>
internal sealed class IdSample(int capacity, int seed)
{
    private readonly Random _random = new(seed);
    private long _seen;

    public List<SampledTransaction> Items { get; } = [];

    public void Offer(GeneratedTransaction transaction)
    {
        _seen++;
        var slot = Items.Count < capacity ? Items.Count : _random.NextInt64(_seen);
        if (slot >= capacity)
            return;
        var traces = transaction.Invocations.Select(i => i.TraceId).Distinct().ToArray();
        var item = new SampledTransaction(transaction.Id, transaction.Invocations.Count, traces, transaction.Invocations[0].Spans[0].StartTimeUnixNano);
        if (slot == Items.Count)
            Items.Add(item);
        else
            Items[(int)slot] = item;
    }
}

internal sealed record SampledTransaction(string Id, int InvocationCount, UInt128[] TraceIds, ulong StartUnixNano);
