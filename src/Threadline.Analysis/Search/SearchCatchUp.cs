using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Server.Stitch;

namespace Threadline.Analysis.Search;

/// <summary>At start, derives in the background what the search index is missing past its watermark; ingest goes on meanwhile.</summary>
internal sealed class SearchCatchUp(SearchIndexer indexer, StitchDerivation stitching, ILogger<SearchCatchUp> logger) : BackgroundService
{
    /// <summary>Spans per page of the catch-up (the derive role's catch-up uses it too).</summary>
    internal const int PageSize = 2000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The index is built from the stitcher's invocations: on a folder both have to derive, it waits for the stitcher.
            await stitching.FirstCatchUp.WaitAsync(stoppingToken).ConfigureAwait(false);
            await indexer.CatchUpAsync(PageSize, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the watermark did not move, the next start goes on from it.
        }
        catch (Exception e)
        {
            indexer.Progress.Fail();
            logger.LogError(e, "Search index: the background derivation failed; the next start tries again from the index's watermark.");
        }
    }
}
