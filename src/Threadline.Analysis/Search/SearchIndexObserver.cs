using Threadline.Server.Stitch;
using Threadline.Storage;
using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>
/// Hands each committed write (spans or logs) to the search index's derivation, on the writer loop after the stitcher
/// and the analysis; the index follows a moment behind (a search answer says <c>partial</c> meanwhile).
/// </summary>
internal sealed class SearchIndexObserver(SearchIndexer indexer, ITelemetryStore store, StitchDerivation stitching) : ICommittedBatchObserver
{
    public void OnCommitted(IReadOnlyList<TelemetryBatch> batches)
    {
        var spans = batches.Count == 1 ? batches[0].Spans : batches.SelectMany(b => b.Spans).ToList();
        var logs = batches.Count == 1 ? batches[0].Logs : batches.SelectMany(b => b.Logs).ToList();
        var sequence = store.LastCommitSequence;
        indexer.Enqueue(spans, logs, stitching.TracesFirstStoredIn(sequence), sequence);
    }
}
