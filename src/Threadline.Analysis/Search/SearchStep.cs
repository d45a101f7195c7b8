using Threadline.Server.Derivation;
using Threadline.Server.Stitch;
using Threadline.Telemetry;

namespace Threadline.Analysis.Search;

/// <summary>The search index in the derive role of a shared store (see <see cref="IDerivationStep"/>): pages are queued
/// for the index's worker as commits are on the writer loop, with the traces the stitcher first saw in them.</summary>
internal sealed class SearchStep(SearchIndexer indexer, StitchDerivation stitching) : IDerivationStep
{
    private static readonly IReadOnlySet<UInt128> NoTraces = new HashSet<UInt128>();

    public Task CatchUpAsync(CancellationToken cancellationToken) => indexer.CatchUpAsync(SearchCatchUp.PageSize, cancellationToken, following: true);

    public void DeriveCommitted(IReadOnlyList<SpanRecord> spans, IReadOnlyList<LogRecord> logs, long sequence) =>
        indexer.Enqueue(spans, logs, spans.Count > 0 ? stitching.TracesFirstStoredIn(sequence) : NoTraces, sequence);

    public bool HasFailed => indexer.HasFailed;
}
