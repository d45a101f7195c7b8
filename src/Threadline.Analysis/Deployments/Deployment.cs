namespace Threadline.Analysis.Deployments;

/// <summary>A new version of a function went live at <see cref="Time"/>: detected from its spans, or recorded by API.</summary>
public sealed record Deployment(string Function, string Version, DateTimeOffset Time, string? PreviousVersion, bool Recorded)
{
    /// <summary>The version went live before and was replaced; this deployment brought it back.</summary>
    public bool Rollback { get; init; }
}

/// <summary>Before/after comparison of a deployment, and its one-line summary.</summary>
public sealed record Verdict(
    string Text,
    double ErrorsPerHourBefore,
    double ErrorsPerHourAfter,
    double P95MsBefore,
    double P95MsAfter,
    int InvocationsBefore,
    int InvocationsAfter,
    IReadOnlyList<string> FixedIssues,
    IReadOnlyList<string> NewIssues);

/// <summary>A deployment with its verdict.</summary>
public sealed record JudgedDeployment(Deployment Deployment, Verdict Verdict);
