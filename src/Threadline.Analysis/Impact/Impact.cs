using Threadline.Analysis.Batches;

namespace Threadline.Analysis.Impact;

/// <summary>
/// Transactions of one entry point: failed (a record of theirs failed, or a non-batch invocation did), in failed
/// batches (their record was in a batch that failed as a whole, or could not be told apart from its batch-mates), and
/// delayed (their record came back only because a batch-mate failed).
/// </summary>
public sealed record EntryImpact(EntryPoint Entry, int FailedTransactions, int FailedBatchTransactions = 0, int DelayedTransactions = 0);

/// <summary>Who is hit: distinct users, the VIPs among them, and a sample.</summary>
public sealed record Exposure(int Users, IReadOnlyList<string> VipUsers, IReadOnlyList<string> SampleUsers)
{
    public static readonly Exposure Empty = new(0, [], []);
}

/// <summary>Records of the failed invocations' batches by outcome (each record counted once per consumer).</summary>
public sealed record OutcomeCounts(int Failed, int Delayed, int Recovered, int Lost, int InFailedBatch)
{
    public static OutcomeCounts Of(IEnumerable<RecordOutcome> outcomes)
    {
        var list = outcomes.ToList();
        return new OutcomeCounts(list.Count(o => o == RecordOutcome.Failed), list.Count(o => o == RecordOutcome.Delayed),
            list.Count(o => o == RecordOutcome.Recovered), list.Count(o => o == RecordOutcome.Lost), list.Count(o => o == RecordOutcome.InFailedBatch));
    }
}

/// <summary>
/// The business impact of a set of failed invocations. <see cref="Exposure"/> counts the users whose own records
/// failed (or whose non-batch transaction failed); <see cref="FailedBatchExposure"/> those only known to be in a failed
/// batch; <see cref="DelayedExposure"/> those whose records were only delayed (<see cref="DelayedRecoveredUsers"/> of
/// them went through since). Each user is in one of the three, the first that applies.
/// </summary>
public sealed record ImpactReport(
    IReadOnlyList<EntryImpact> Entries,
    Exposure Exposure,
    IReadOnlyList<string> Transactions,
    Exposure DelayedExposure,
    Exposure FailedBatchExposure,
    int DelayedRecoveredUsers,
    OutcomeCounts Outcomes)
{
    /// <summary>
    /// <c>send-email fails in 10 POST /payments transactions; 10 users affected (all VIP: …); 13 more users delayed, all
    /// recovered; 2 more users in failed batches (attribution per batch)</c>.
    /// </summary>
    public string Sentence(string function)
    {
        var failed = Entries.Where(e => e.FailedTransactions > 0).ToList();
        var inBatches = Entries.Where(e => e.FailedBatchTransactions > 0).ToList();
        string head;
        if (failed.Count > 0)
            head = $"{function} fails in {List(failed, e => e.FailedTransactions)}";
        else if (inBatches.Count > 0)
            head = $"{function} fails in batches holding {List(inBatches, e => e.FailedBatchTransactions)}";
        else
            return $"{function} fails outside any known transaction";
        var parts = new List<string> { head };
        if (Exposure.Users > 0)
            parts.Add($"{Users(Exposure.Users)} affected{Vips(Exposure)}");
        if (DelayedExposure.Users > 0)
        {
            var recovered = DelayedRecoveredUsers == DelayedExposure.Users ? "all recovered"
                : DelayedRecoveredUsers == 0 ? "none recovered yet" : $"{DelayedRecoveredUsers} recovered";
            var more = Exposure.Users > 0 ? " more" : "";
            parts.Add($"{DelayedExposure.Users}{more} user{(DelayedExposure.Users == 1 ? "" : "s")} delayed{Vips(DelayedExposure)}, {recovered}");
        }
        if (FailedBatchExposure.Users > 0)
        {
            var more = Exposure.Users + DelayedExposure.Users > 0 ? " more" : "";
            parts.Add($"{FailedBatchExposure.Users}{more} user{(FailedBatchExposure.Users == 1 ? "" : "s")} in failed batches{Vips(FailedBatchExposure)} (attribution per batch)");
        }
        return string.Join("; ", parts);
    }

    private static string List(List<EntryImpact> entries, Func<EntryImpact, int> count)
    {
        var parts = entries.Select(e => $"{count(e)} {e.Entry.Name} {e.Entry.Noun(count(e))}").ToList();
        return parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
    }

    private static string Users(int count) => $"{count} user{(count == 1 ? "" : "s")}";

    private static string Vips(Exposure exposure) => exposure.VipUsers.Count == 0 ? ""
        : exposure.VipUsers.Count == exposure.Users && exposure.Users > 1 ? $" (all VIP: {string.Join(", ", exposure.VipUsers)})"
        : $" ({exposure.VipUsers.Count} VIP: {string.Join(", ", exposure.VipUsers)})";
}
