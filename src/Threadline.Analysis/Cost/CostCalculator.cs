using Threadline.Analysis.Configuration;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Stitching;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Cost;

/// <summary>
/// Sums invocation costs per function, per transaction and per entry point, over a range. An invocation in K
/// transactions (a batch consumer) adds 1/K of its cost to each, so entry totals add up to the function totals. A
/// function's cost spikes when its last hour costs more than <see cref="AnalysisOptions.CostSpikeFactor"/> times its
/// average hour of the 24 before (counting only hours since it was first seen) and at least
/// <see cref="AnalysisOptions.CostSpikeMinimumUsd"/>. The function figures are store queries over the range; the entry
/// points read the members of every transaction in the range (batched), so they grow with the range's transactions.
/// </summary>
public sealed class CostCalculator(AnalysisOptions options)
{
    public CostReport Report(IAnalysisView view, TimeRange range)
    {
        var functions = OfFunctions(view, range);
        var entries = new Dictionary<EntryPoint, (int Transactions, decimal Cost)>();
        // Members and their shares in a few batched reads, then every member's analysis in one: no transaction is
        // loaded whole (a walk that did took a second here, and most of a minute while the stitch cache was cold).
        var transactions = view.Engine.ListTransactionShares(new TransactionFilter
        {
            FromUnixNano = range.FromUnixNano,
            ToUnixNano = range.ToUnixNano == long.MaxValue ? null : range.ToUnixNano,
            Limit = int.MaxValue,
        });
        var analyzed = view.GetMany(transactions.Select(t => t.Summary.EntryInvocation).Concat(transactions.SelectMany(t => t.Members.Keys)));
        foreach (var transaction in transactions)
        {
            if (!analyzed.TryGetValue(transaction.Summary.EntryInvocation, out var entry))
                continue;
            var point = EntryPoint.Of(entry);
            var (count, total) = entries.GetValueOrDefault(point);
            entries[point] = (count + 1, total + ShareOf(transaction, analyzed));
        }
        return new CostReport(
            functions.Sum(f => f.CostUsd),
            functions,
            [.. entries.Select(e => new EntryCost(e.Key.Name, e.Key.Kind, e.Value.Transactions, e.Value.Cost)).OrderByDescending(e => e.CostUsd)]);
    }

    /// <summary>Per function with an invocation in the range (name order): its invocations and cost there, and its last hour against its usual hour.</summary>
    public IReadOnlyList<FunctionCost> OfFunctions(IAnalysisView view, TimeRange range)
    {
        var totals = StoreAnalysisView.Wait(view.Store.GetFunctionFiguresAsync(null, range, CancellationToken.None));
        return Spend(view, totals.Select(t => (t.Function, t.Invocations, t.CostUsd)).ToList());
    }

    /// <summary>The last hour and usual hour of the given functions (their totals given by the caller).</summary>
    public IReadOnlyList<FunctionCost> Spend(IAnalysisView view, IReadOnlyList<(string Function, long Invocations, decimal CostUsd)> functions)
    {
        var now = view.Now;
        var hourAgo = now.AddHours(-1);
        var baselineFrom = hourAgo.AddHours(-24);
        var lastHour = CostsIn(view, ReadRange.After(hourAgo, now));
        var baselineCosts = CostsIn(view, ReadRange.After(baselineFrom, hourAgo));
        var firsts = StoreAnalysisView.Wait(view.Store.GetFunctionFirstStartsAsync([.. functions.Select(f => f.Function)], CancellationToken.None));
        var result = new List<FunctionCost>();
        foreach (var (function, invocations, cost) in functions)
        {
            var last = lastHour.GetValueOrDefault(function);
            var firstSeen = firsts.TryGetValue(function, out var first) ? Time.FromUnixNanos(first) : now;
            var hours = (hourAgo - (firstSeen > baselineFrom ? firstSeen : baselineFrom)).TotalHours;
            var baseline = hours >= 1 ? baselineCosts.GetValueOrDefault(function) / (decimal)hours : 0m;
            var spike = baseline > 0 && last >= options.CostSpikeMinimumUsd && last > baseline * (decimal)options.CostSpikeFactor;
            result.Add(new FunctionCost(function, (int)invocations, cost, last, decimal.Round(baseline, 10), spike));
        }
        return result;
    }

    private static Dictionary<string, decimal> CostsIn(IAnalysisView view, TimeRange range) =>
        StoreAnalysisView.Wait(view.Store.GetFunctionFiguresAsync(null, range, CancellationToken.None)).ToDictionary(f => f.Function, f => f.CostUsd, StringComparer.Ordinal);

    /// <summary>The transaction's cost: each member's cost divided by its number of transactions, in the members' start order
    /// (as <see cref="TransactionOf"/> adds them, so the decimal sums agree).</summary>
    private static decimal ShareOf(TransactionShares transaction, IReadOnlyDictionary<InvocationId, AnalyzedInvocation> analyzed) =>
        transaction.Members
            .Select(m => (Analyzed: analyzed.GetValueOrDefault(m.Key), Id: m.Key, Shares: m.Value))
            .Where(m => m.Analyzed is not null)
            .OrderBy(m => m.Analyzed!.StartTimeUnixNano).ThenBy(m => m.Id)
            .Sum(m => m.Analyzed!.CostUsd / m.Shares);

    public TransactionCost? TransactionOf(IAnalysisView view, string transactionId)
    {
        if (view.Engine.GetTransaction(transactionId) is not { } transaction)
            return null;
        var analyzed = view.GetMany(transaction.Invocations.Select(m => m.Id));
        var items = new List<InvocationCost>();
        foreach (var member in transaction.Invocations)
        {
            var cost = analyzed.GetValueOrDefault(member.Id)?.CostUsd ?? 0m;
            var shares = Math.Max(1, view.Engine.TransactionsOf(member.Id).Count);
            items.Add(new InvocationCost(member.Id.ToString(), member.Function, cost, cost / shares));
        }
        return new TransactionCost(transactionId, items.Sum(i => i.ShareUsd), items);
    }
}
