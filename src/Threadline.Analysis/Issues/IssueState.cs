namespace Threadline.Analysis.Issues;

public enum IssueState
{
    /// <summary>First seen less than the new-issue window ago, never resolved.</summary>
    New,
    /// <summary>First seen longer ago, never resolved.</summary>
    Ongoing,
    /// <summary>Resolved, then seen again after the resolution.</summary>
    Regressed,
    /// <summary>Resolved and not seen since.</summary>
    Resolved,
}
