using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;
using Threadline.Stitching;

namespace Threadline.Analysis.Impact;

/// <summary>
/// The entry points whose transactions pass through the given failed invocations (a batch consumer counts in each of
/// its transactions), and the users of those transactions: the entry invocation's user, else the first user found
/// in another invocation of the transaction.
/// </summary>
public sealed class ImpactCalculator(AnalysisOptions options)
{
    public const int SampleSize = 10;

    public ImpactReport Of(IAnalysisView view, IEnumerable<AnalyzedInvocation> failed)
    {
        var transactions = failed.SelectMany(f => view.Engine.TransactionsOf(f.Id)).ToHashSet();
        var perEntry = new Dictionary<EntryPoint, int>();
        var users = new SortedSet<string>(StringComparer.Ordinal);
        var vips = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var transactionId in transactions)
        {
            if (!InvocationId.TryParse(transactionId, out var entryId) || view.Get(entryId) is not { } entry)
                continue;
            var point = EntryPoint.Of(entry);
            perEntry[point] = perEntry.GetValueOrDefault(point) + 1;
            var (user, vip) = UserOf(view, transactionId, entry);
            if (user is null)
                continue;
            users.Add(user);
            if (vip || options.VipUsers.Contains(user))
                vips.Add(user);
        }
        var entries = perEntry.Select(p => new EntryImpact(p.Key, p.Value))
            .OrderByDescending(e => e.FailedTransactions).ThenBy(e => e.Entry.Name, StringComparer.Ordinal).ToList();
        return new ImpactReport(entries, new Exposure(users.Count, [.. vips], [.. users.Take(SampleSize)]), [.. transactions.Order()]);
    }

    private static (string? User, bool Vip) UserOf(IAnalysisView view, string transactionId, AnalyzedInvocation entry)
    {
        if (entry.User is not null)
            return (entry.User, entry.VipMarker);
        var members = view.Engine.GetTransaction(transactionId)?.Invocations ?? [];
        var withUser = members.Select(m => view.Get(m.Id)).FirstOrDefault(m => m?.User is not null);
        return (withUser?.User, withUser?.VipMarker ?? false);
    }
}
