namespace Threadline.Analysis.Impact;

/// <summary>Failed transactions of one entry point.</summary>
public sealed record EntryImpact(EntryPoint Entry, int FailedTransactions);

/// <summary>Who is hit: distinct users, the VIPs among them, and a sample.</summary>
public sealed record Exposure(int Users, IReadOnlyList<string> VipUsers, IReadOnlyList<string> SampleUsers);

/// <summary>The business impact of a set of failed invocations.</summary>
public sealed record ImpactReport(IReadOnlyList<EntryImpact> Entries, Exposure Exposure, IReadOnlyList<string> Transactions)
{
    /// <summary><c>send-email fails in 37 POST /payments transactions and 2 lunchbot runs</c>.</summary>
    public string Sentence(string function)
    {
        if (Entries.Count == 0)
            return $"{function} fails outside any known transaction";
        var parts = Entries.Select(e => $"{e.FailedTransactions} {e.Entry.Name} {e.Entry.Noun(e.FailedTransactions)}").ToList();
        var list = parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
        var users = Exposure.Users == 0 ? "" : $"; {Exposure.Users} user{(Exposure.Users == 1 ? "" : "s")} affected"
            + (Exposure.VipUsers.Count > 0 ? $" ({Exposure.VipUsers.Count} VIP: {string.Join(", ", Exposure.VipUsers)})" : "");
        return $"{function} fails in {list}{users}";
    }
}
