using Threadline.Storage.Retention;

namespace Threadline.Analysis.Ingest;

/// <summary>After retention deleted old spans, the analysis deletes its rows of them (before the stitcher forgets them).</summary>
internal sealed class AnalysisForgetting(AnalysisState state) : IDeletionObserver
{
    public void OnDeletedBefore(long cutoffUnixNano) => state.ForgetSpansStartedBefore(cutoffUnixNano);
}
