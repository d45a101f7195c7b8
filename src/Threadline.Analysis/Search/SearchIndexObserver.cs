using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>
/// Re-derives the search rows of the traces a committed write touched (spans or logs), on the writer loop after the
/// stitcher and the analysis, so an acknowledged span is searchable when the sender hears back.
/// </summary>
internal sealed class SearchIndexObserver(SearchIndexer indexer, ITelemetryStore store) : ICommittedBatchObserver
{
    public void OnCommitted(IReadOnlyList<TelemetryBatch> batches)
    {
        var traces = new HashSet<UInt128>();
        foreach (var batch in batches)
        {
            foreach (var span in batch.Spans)
                traces.Add(span.TraceId);
            foreach (var log in batch.Logs)
            {
                if (log.TraceId != UInt128.Zero)
                    traces.Add(log.TraceId);
            }
        }
        indexer.OnCommitted(traces, store.LastCommitSequence);
    }
}
