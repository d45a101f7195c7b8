using Threadline.Telemetry;

namespace Threadline.Server.Derivation;

/// <summary>
/// A derived part that follows the stored commits after the stitcher in a process with the derive role of a shared
/// store (the analysis, the search index). The derivation loop first calls <see cref="CatchUpAsync"/> (from the part's
/// stored watermark), then hands it every page of the commits that became visible since, right after the stitcher
/// derived that page. Register each as a singleton of this interface, in the order they must run.
/// </summary>
public interface IDerivationStep
{
    /// <summary>Derives every commit past the part's watermark, up to the store's last commit as it stands.</summary>
    Task CatchUpAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Derives a page of spans or of logs of the commits up to <paramref name="sequence"/>, which becomes the part's
    /// watermark (pages before the round's last pass the previous round's sequence, so a crash repeats the round).
    /// Throws when it fails; a failure of work it does in the background shows in <see cref="HasFailed"/>.
    /// </summary>
    void DeriveCommitted(IReadOnlyList<SpanRecord> spans, IReadOnlyList<LogRecord> logs, long sequence);

    /// <summary>Whether a derivation of the part failed in the background (it then follows no more).</summary>
    bool HasFailed { get; }
}
