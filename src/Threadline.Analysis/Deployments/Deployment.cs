namespace Threadline.Analysis.Deployments;

/// <summary>A new version of a function went live at <see cref="Time"/>: detected from its spans, or recorded by API.</summary>
public sealed record Deployment(string Function, string Version, DateTimeOffset Time, string? PreviousVersion, bool Recorded);

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
