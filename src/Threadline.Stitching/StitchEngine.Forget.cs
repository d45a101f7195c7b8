namespace Threadline.Stitching;

public sealed partial class StitchEngine
{
    /// <summary>
    /// The store deleted every span that started before the cutoff (retention, disk budget): forgets their facts and
    /// derives the affected traces again, so the state is what ingesting only the remaining spans would give (an
    /// invocation that lost its producer starts a transaction of its own) and memory follows the store.
    /// </summary>
    public StitchResult ForgetSpansStartedBefore(long cutoffUnixNano)
    {
        lock (_lock)
        {
            var batch = new Batch(_time.GetUtcNow());
            foreach (var traceId in _state.RemoveSpansStartedBefore(cutoffUnixNano))
                ReExtract(traceId, batch);
            return Settle(batch);
        }
    }
}
