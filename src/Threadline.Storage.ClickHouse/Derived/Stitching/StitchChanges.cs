using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.ClickHouse.Derived.Stitching;

/// <summary>
/// A delta reduced to one change per id, as the store writes it: a write tags all its rows with one version, so two
/// rows of one id in it would tie. Later puts of an id win over earlier ones; a delete of an id that is also put is
/// dropped (deletes apply before puts, so the id ends put). <c>…Replaced</c> are the ids whose stored keys or members
/// must be read first: every delete and every put not marked new, or also deleted.
/// </summary>
internal sealed record StitchChanges(
    IReadOnlyList<StitchInvocationPut> InvocationsPut,
    IReadOnlyList<StitchId> InvocationsDeleted,
    IReadOnlyList<StitchId> InvocationsReplaced,
    IReadOnlyList<StitchHopRow> HopsPut,
    IReadOnlyList<(StitchId From, StitchId To)> HopsDeleted,
    IReadOnlyList<StitchTransactionPut> TransactionsPut,
    IReadOnlyList<StitchId> TransactionsDeleted,
    IReadOnlyList<StitchId> TransactionsReplaced)
{
    public static StitchChanges Of(StitchDelta delta)
    {
        var invocationsPut = LastPer(delta.InvocationsPut, p => p.Invocation.Id);
        var invocationsDeleted = delta.InvocationsDeleted.ToHashSet();
        var hopsPut = LastPer(delta.HopsPut, h => (h.From, h.To));
        var transactionsPut = LastPer(delta.TransactionsPut, t => t.Summary.Entry);
        var transactionsDeleted = delta.TransactionsDeleted.ToHashSet();
        return new StitchChanges(
            [.. invocationsPut.Values],
            [.. invocationsDeleted.Where(id => !invocationsPut.ContainsKey(id))],
            [.. invocationsDeleted.Union(invocationsPut.Values.Where(p => !p.IsNew).Select(p => p.Invocation.Id))],
            [.. hopsPut.Values],
            [.. delta.HopsDeleted.Distinct().Where(h => !hopsPut.ContainsKey(h))],
            [.. transactionsPut.Values],
            [.. transactionsDeleted.Where(id => !transactionsPut.ContainsKey(id))],
            [.. transactionsDeleted.Union(transactionsPut.Values.Where(t => !t.IsNew).Select(t => t.Summary.Entry))]);
    }

    private static Dictionary<TKey, T> LastPer<T, TKey>(IEnumerable<T> items, Func<T, TKey> key)
        where TKey : notnull
    {
        var last = new Dictionary<TKey, T>();
        foreach (var item in items)
            last[key(item)] = item;
        return last;
    }
}
