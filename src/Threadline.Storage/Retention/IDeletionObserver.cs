namespace Threadline.Storage.Retention;

/// <summary>
/// Told after the store deleted every span that started (and every log record timed) before a cutoff, so that state
/// derived from the spans in memory (the stitcher's, the analysis') forgets them too and follows the store.
/// </summary>
public interface IDeletionObserver
{
    void OnDeletedBefore(long cutoffUnixNano);
}
