namespace Threadline.Server.Derivation;

/// <summary>
/// A derived part that follows the stored commits after the stitcher in a process with the derive role of a shared
/// store (the analysis, the search index): the derivation loop calls it after each round of stitching. Register each
/// as a singleton of this interface, in the order they must run.
/// </summary>
public interface IDerivationStep
{
    /// <summary>Derives every commit past the part's watermark, up to the store's last commit as it stands (the loop
    /// refreshed it before the round and the stitcher derived up to it).</summary>
    Task CatchUpAsync(CancellationToken cancellationToken);
}
