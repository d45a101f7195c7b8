using Threadline.Storage.Derived.Stitching;
using static Threadline.Stitching.Persistence.StitchRowMapping;

namespace Threadline.Stitching.Persistence;

/// <summary>The retry rule's reads answered from what <see cref="StitchReadView.ReadTraces"/> read in batches; anything else from the view.</summary>
internal sealed class PreloadedRetryReads(
    IReadOnlyDictionary<InvocationId, Invocation?> invocations,
    IReadOnlyDictionary<StitchKeyRef, HashSet<InvocationId>> keyed,
    IRetryReads fallback) : IRetryReads
{
    public Invocation? GetInvocation(InvocationId id) =>
        invocations.TryGetValue(id, out var invocation) ? invocation : fallback.GetInvocation(id);

    public IReadOnlyCollection<InvocationId> Consumers(string key) =>
        keyed.TryGetValue(Inbound(key), out var ids) ? ids : fallback.Consumers(key);

    public IReadOnlyCollection<InvocationId> DynamoReaders(string table, string pair) =>
        keyed.TryGetValue(DynamoRead(table, pair), out var ids) ? ids : fallback.DynamoReaders(table, pair);
}
