using Threadline.Analysis.Configuration;
using Threadline.Analysis.Ingest;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Deployments;

/// <summary>Every deployment (detected in the range, and recorded), oldest first, each judged against the next one of its function.</summary>
public sealed class DeploymentHistory(AnalysisOptions options, DeploymentLog log, VerdictCalculator verdicts)
{
    public IReadOnlyList<JudgedDeployment> Judge(IAnalysisView view, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(view);
        var deployments = DeploymentDetector.Detect(view, log.Recorded, options.DeploymentMinimumInvocations, range);
        return [.. deployments.Select(d =>
        {
            var next = deployments.Where(o => o.Function == d.Function && o.Time > d.Time).Select(o => (DateTimeOffset?)o.Time).FirstOrDefault();
            return new JudgedDeployment(d, verdicts.Judge(view, d, next));
        })];
    }
}
