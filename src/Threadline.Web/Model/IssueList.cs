using System.Globalization;
using Threadline.Analysis.Api;
using Threadline.Analysis.Issues;

namespace Threadline.Web.Model;

/// <summary>A row of the issues list.</summary>
public sealed record IssueRow(string Id, string Function, string ErrorType, string Message, string State, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Count)
{
    public string FirstSeenText => Format.When(FirstSeen);
    public string LastSeenText => Format.When(LastSeen);

    public static IssueRow Of(IssueSummaryResponse issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return new IssueRow(issue.Id, issue.Function, issue.ErrorType, issue.Message, issue.State, issue.FirstSeen, issue.LastSeen, issue.Count);
    }
}

/// <summary>The states of the issues list's filter, as in the query string (<c>state=</c>).</summary>
public static class IssueStates
{
    public static readonly IReadOnlyList<(string Value, string Label)> Choices =
        [("", "Any"), ("new", "New"), ("ongoing", "Ongoing"), ("regressed", "Regressed"), ("resolved", "Resolved")];

    /// <summary>The state a query value names; null for any. False when the value is not a state.</summary>
    public static bool TryParse(string? value, out IssueState? state)
    {
        state = value switch
        {
            "new" => IssueState.New,
            "ongoing" => IssueState.Ongoing,
            "regressed" => IssueState.Regressed,
            "resolved" => IssueState.Resolved,
            _ => null,
        };
        return state is not null || string.IsNullOrEmpty(value);
    }

    public static string Describe(IReadOnlyList<IssueRow> rows) =>
        string.Create(CultureInfo.InvariantCulture, $"{rows.Count} issue{(rows.Count == 1 ? "" : "s")}, {rows.Sum(r => r.Count)} failures");
}
