namespace Threadline.Server.Derivation;

/// <summary>
/// One part of the derived state (stitching, analysis) reporting its start's background derivation past its
/// watermark; <c>/api/health</c> shows them as <c>derivation</c>. Register each as a singleton of this interface.
/// </summary>
public interface IDerivationProgress
{
    /// <summary>The part's name in the health answer (<c>analysis</c>, <c>stitching</c>).</summary>
    string Part { get; }

    /// <summary><c>idle</c> (not started), <c>deriving</c>, <c>done</c> or <c>failed</c>; spans derived so far and to derive (null when unknown).</summary>
    DerivationPartResponse Current { get; }
}

public sealed record DerivationPartResponse(string Part, string State, long SpansDone, long? SpansTotal);

/// <summary>
/// All parts together: failed when any failed, done when every part is, idle before any started, else deriving (a part
/// that has not started while another is done, such as the analysis waiting for the stitcher's first catch-up, is still
/// to derive).
/// </summary>
public sealed record DerivationResponse(string State, long SpansDone, long? SpansTotal, IReadOnlyList<DerivationPartResponse> Parts)
{
    public static DerivationResponse Of(IEnumerable<IDerivationProgress> parts)
    {
        var current = parts.Select(p => p.Current).ToList();
        var state = current.Any(p => p.State == "failed") ? "failed"
            : current.All(p => p.State == "done") ? "done"
            : current.All(p => p.State == "idle") ? "idle"
            : "deriving";
        long? total = current.All(p => p.SpansTotal is not null) ? current.Sum(p => p.SpansTotal!.Value) : null;
        return new DerivationResponse(state, current.Sum(p => p.SpansDone), total, current);
    }
}
