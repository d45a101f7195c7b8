using Threadline.Analysis.Api;
using Threadline.Analysis.Impact;

namespace Threadline.Web.Model;

/// <summary>One line of impact: "send-email fails in 37 POST /payments transactions", with the entry to filter by.</summary>
public sealed record ImpactLine(string Text, string Entry, int FailedTransactions);

/// <summary>A user hit by the issue, VIP or not.</summary>
public sealed record ExposedUser(string Id, bool Vip);

/// <summary>An occurrence to open: its transaction (with the invocation selected) or, outside any transaction, nothing.</summary>
public sealed record SampleLink(string InvocationId, string? TransactionId, DateTimeOffset Time, string? Version, bool ColdStart)
{
    public string TimeText => Format.When(Time);
    public string? Href => TransactionId is null ? null : Links.Transaction(TransactionId, InvocationId);
}

/// <summary>
/// The issue page: what failed, the impact per entry point, who is hit (VIPs first), samples that open the
/// transaction at the failed invocation, and the occurrences over time.
/// </summary>
public sealed record IssueDetailModel(
    IssueDetailResponse Issue,
    IReadOnlyList<ImpactLine> Impact,
    int Users,
    IReadOnlyList<ExposedUser> ExposedUsers,
    IReadOnlyList<string> VipUsers,
    IReadOnlyList<SampleLink> Samples,
    ChartModel Timeline)
{
    public bool Resolved => Issue.State == "resolved";

    public static IssueDetailModel Of(IssueView view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(view);
        var issue = view.Detail;
        var impact = issue.Impact.Select(e =>
        {
            var noun = new EntryPoint(e.Entry, e.Kind, e.Function).Noun(e.FailedTransactions);
            return new ImpactLine($"{issue.Function} fails in {e.FailedTransactions} {e.Entry} {noun}", e.Entry, e.FailedTransactions);
        }).ToList();
        var vips = issue.Exposure.VipUsers.ToHashSet(StringComparer.Ordinal);
        var users = issue.Exposure.VipUsers.Select(u => new ExposedUser(u, true))
            .Concat(issue.Exposure.SampleUsers.Where(u => !vips.Contains(u)).Select(u => new ExposedUser(u, false)))
            .ToList();
        var samples = issue.Samples.Select(s => new SampleLink(s.InvocationId, s.TransactionId, s.Time, s.Version, s.ColdStart)).ToList();
        var end = now > issue.LastSeen ? now : issue.LastSeen;
        var buckets = TimeBuckets.Over(issue.FirstSeen, end);
        var timeline = new ChartModel("Occurrences over time", "bar", buckets.Labels(),
            [new ChartSeries("Occurrences", ChartModel.Count(buckets, view.Occurrences, o => o.Start), "#ff6b6b")],
            issue.ResolvedAt is { } resolved && buckets.IndexOf(resolved) >= 0
                ? [new ChartMarker(buckets.Position(resolved), "resolved", $"resolved {Format.When(resolved)}", resolved)]
                : [],
            "failures", Integer: true);
        return new IssueDetailModel(issue, impact, issue.Exposure.Users, users, issue.Exposure.VipUsers, samples, timeline);
    }
}
