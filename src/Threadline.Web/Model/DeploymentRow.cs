using System.Globalization;
using Threadline.Analysis.Api;

namespace Threadline.Web.Model;

/// <summary>
/// A deployment with its verdict and the before/after comparison. <see cref="Outcome"/> colours the verdict: good when
/// errors fell or it fixed an issue, bad when errors rose or it brought a new issue, else neutral.
/// </summary>
public sealed record DeploymentRow(string Function, string Version, string? PreviousVersion, DateTimeOffset Time, string Verdict, string Source, bool Rollback,
    string Errors, string P95, string Invocations, IReadOnlyList<string> FixedIssues, IReadOnlyList<string> NewIssues, string Outcome)
{
    public string TimeText => Format.When(Time);

    public static DeploymentRow Of(DeploymentResponse deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var c = deployment.Comparison;
        var outcome = c.NewIssues.Count > 0 || c.ErrorsPerHourAfter > c.ErrorsPerHourBefore ? "bad"
            : c.FixedIssues.Count > 0 || c.ErrorsPerHourAfter < c.ErrorsPerHourBefore ? "good"
            : "neutral";
        return new DeploymentRow(deployment.Function, deployment.Version, deployment.PreviousVersion, deployment.Time, deployment.Verdict, deployment.Source,
            deployment.Rollback,
            string.Create(CultureInfo.InvariantCulture, $"{c.ErrorsPerHourBefore:0.#}/h → {c.ErrorsPerHourAfter:0.#}/h"),
            $"{Format.Duration(c.P95MsBefore)} → {Format.Duration(c.P95MsAfter)}",
            string.Create(CultureInfo.InvariantCulture, $"{c.InvocationsBefore} → {c.InvocationsAfter}"),
            c.FixedIssues, c.NewIssues, outcome);
    }
}
