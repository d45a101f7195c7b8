namespace Threadline.Analysis.Issues;

/// <summary>
/// One issue: every failed invocation with the same fingerprint (counted over everything stored), and what the owner
/// did about it. Its occurrences are read separately, for a range (<see cref="IssueTracker.Occurrences"/>).
/// </summary>
public sealed record Issue(
    string Id,
    Failure Failure,
    IssueState State,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int Count,
    int ColdStarts,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? RegressedAt)
{
    public string Function => Failure.Function;

    /// <summary>Every occurrence was on a cold start (an init failure, a cold-start timeout).</summary>
    public bool ColdStartRelated => Count > 0 && ColdStarts == Count;
}
