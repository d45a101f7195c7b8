namespace Threadline.Storage.Derived.Stitching;

/// <summary>
/// The stitcher's state in the store: span facts, invocations with their key index, hops, memberships and transaction
/// summaries, and the watermark (the highest span commit sequence whose derivation is written). Loads are batched (one
/// query per call, whatever the number of ids); every call is safe from any thread, and loads never wait for a
/// <see cref="Commit"/> in progress (they see the state before it). Calls are synchronous because the stitcher runs
/// on the writer loop between the span commit and the answer to the senders.
/// </summary>
public interface IStitchStore : IAsyncDisposable
{
    /// <summary>The stored watermark; 0 when nothing was derived yet.</summary>
    long ReadWatermark();

    /// <summary>Writes one derivation's changes and its watermark in one transaction: all of it, or nothing.</summary>
    void Commit(StitchDelta delta);

    /// <summary>The span facts of each trace asked for that has some.</summary>
    IReadOnlyList<StitchSpanRow> LoadSpans(IReadOnlyCollection<UInt128> traceIds);

    /// <summary>The traces with at least one span that started before the cutoff.</summary>
    IReadOnlyList<UInt128> TracesWithSpansStartedBefore(long cutoffUnixNano);

    IReadOnlyList<StitchInvocationRow> LoadInvocations(IReadOnlyCollection<StitchId> ids);

    IReadOnlyList<StitchInvocationRow> LoadInvocationsOfTraces(IReadOnlyCollection<UInt128> traceIds);

    /// <summary>The invocations indexed by each key asked for.</summary>
    IReadOnlyList<StitchKeyMatch> FindKeys(IReadOnlyCollection<StitchKeyRef> keys);

    /// <summary>The hops whose <see cref="StitchHopRow.To"/> is one of <paramref name="invocations"/>.</summary>
    IReadOnlyList<StitchHopRow> LoadHopsInto(IReadOnlyCollection<StitchId> invocations);

    /// <summary>The hops whose <see cref="StitchHopRow.From"/> is one of <paramref name="invocations"/>.</summary>
    IReadOnlyList<StitchHopRow> LoadHopsOutOf(IReadOnlyCollection<StitchId> invocations);

    /// <summary>The memberships of the transactions whose entries are given.</summary>
    IReadOnlyList<StitchMembershipRow> LoadMembers(IReadOnlyCollection<StitchId> entries);

    /// <summary>The memberships of the given invocations (which transactions each belongs to).</summary>
    IReadOnlyList<StitchMembershipRow> LoadTransactionsOf(IReadOnlyCollection<StitchId> members);

    IReadOnlyList<StitchTransactionRow> LoadTransactions(IReadOnlyCollection<StitchId> entries);

    /// <summary>Transaction summaries by range and filters, latest first, at most the limit.</summary>
    IReadOnlyList<StitchTransactionRow> ListTransactions(StitchTransactionQuery query);
}
