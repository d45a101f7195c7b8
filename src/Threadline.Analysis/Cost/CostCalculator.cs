using Threadline.Analysis.Configuration;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Stitching;

namespace Threadline.Analysis.Cost;

/// <summary>
/// Sums invocation costs per function, per transaction and per entry point. An invocation in K transactions (a batch
/// consumer) adds 1/K of its cost to each, so entry totals add up to the function totals. A function's cost spikes
/// when its last hour costs more than <see cref="AnalysisOptions.CostSpikeFactor"/> times its average hour of the 24
/// before (counting only hours since it was first seen) and at least <see cref="AnalysisOptions.CostSpikeMinimumUsd"/>.
/// </summary>
public sealed class CostCalculator(AnalysisOptions options)
{
    public CostReport Report(IAnalysisView view)
    {
        var functions = view.Functions.Order(StringComparer.Ordinal).Select(f => OfFunction(view, f)).ToList();
        var entries = new Dictionary<EntryPoint, (int Transactions, decimal Cost)>();
        foreach (var summary in view.Engine.ListTransactions(new TransactionFilter { Limit = int.MaxValue }))
        {
            if (view.Get(summary.EntryInvocation) is not { } entry || TransactionOf(view, summary.Id) is not { } cost)
                continue;
            var point = EntryPoint.Of(entry);
            var (count, total) = entries.GetValueOrDefault(point);
            entries[point] = (count + 1, total + cost.CostUsd);
        }
        return new CostReport(
            functions.Sum(f => f.CostUsd),
            functions,
            [.. entries.Select(e => new EntryCost(e.Key.Name, e.Key.Kind, e.Value.Transactions, e.Value.Cost)).OrderByDescending(e => e.CostUsd)]);
    }

    public FunctionCost OfFunction(IAnalysisView view, string function)
    {
        var invocations = view.OfFunction(function);
        var now = options.Time.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var lastHour = invocations.Where(i => i.Start > hourAgo && i.Start <= now).Sum(i => i.CostUsd);
        var baselineFrom = hourAgo.AddHours(-24);
        var firstSeen = invocations.Count > 0 ? invocations[0].Start : now;
        var hours = (hourAgo - (firstSeen > baselineFrom ? firstSeen : baselineFrom)).TotalHours;
        var baseline = hours >= 1
            ? invocations.Where(i => i.Start > baselineFrom && i.Start <= hourAgo).Sum(i => i.CostUsd) / (decimal)hours
            : 0m;
        var spike = baseline > 0 && lastHour >= options.CostSpikeMinimumUsd && lastHour > baseline * (decimal)options.CostSpikeFactor;
        return new FunctionCost(function, invocations.Count, invocations.Sum(i => i.CostUsd), lastHour, decimal.Round(baseline, 10), spike);
    }

    public TransactionCost? TransactionOf(IAnalysisView view, string transactionId)
    {
        if (view.Engine.GetTransaction(transactionId) is not { } transaction)
            return null;
        var items = new List<InvocationCost>();
        foreach (var member in transaction.Invocations)
        {
            var cost = view.Get(member.Id)?.CostUsd ?? 0m;
            var shares = Math.Max(1, view.Engine.TransactionsOf(member.Id).Count);
            items.Add(new InvocationCost(member.Id.ToString(), member.Function, cost, cost / shares));
        }
        return new TransactionCost(transactionId, items.Sum(i => i.ShareUsd), items);
    }
}
