using Threadline.Stitching;
using Threadline.Storage.Retention;

namespace Threadline.Server.Stitch;

/// <summary>After retention deleted old spans, the stitch engine forgets them, so its memory follows the store.</summary>
internal sealed class StitchForgetting(StitchEngine engine) : IDeletionObserver
{
    public void OnDeletedBefore(long cutoffUnixNano) => engine.ForgetSpansStartedBefore(cutoffUnixNano);
}
