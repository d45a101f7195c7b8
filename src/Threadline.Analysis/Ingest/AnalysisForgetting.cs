using Threadline.Storage.Retention;

namespace Threadline.Analysis.Ingest;

/// <summary>After retention deleted old spans (and the stitcher forgot them), the analysis forgets them too.</summary>
internal sealed class AnalysisForgetting(AnalysisState state) : IDeletionObserver
{
    public void OnDeletedBefore(long cutoffUnixNano) => state.ForgetSpansStartedBefore(cutoffUnixNano);
}
