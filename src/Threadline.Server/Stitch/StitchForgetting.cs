using Threadline.Storage.Retention;

namespace Threadline.Server.Stitch;

/// <summary>After retention deleted old spans, the stitch state forgets them (in the store too), so it follows the store.</summary>
internal sealed class StitchForgetting(StitchDerivation derivation) : IDeletionObserver
{
    public void OnDeletedBefore(long cutoffUnixNano) => derivation.ForgetSpansStartedBefore(cutoffUnixNano);
}
