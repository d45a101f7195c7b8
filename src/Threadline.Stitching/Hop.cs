namespace Threadline.Stitching;

public enum HopKind
{
    Sync,
    Async,
}

/// <summary>
/// One link between two invocations: <see cref="From"/> caused <see cref="To"/>.
/// <see cref="BothArrivedAt"/> is when the engine had seen both invocations, <see cref="LinkedAt"/> when it made
/// the link; the difference is the stitch lag.
/// </summary>
public sealed record Hop(
    InvocationId From,
    InvocationId To,
    HopKind Kind,
    string Service,
    string? Resource,
    string Via,
    DateTimeOffset BothArrivedAt,
    DateTimeOffset LinkedAt)
{
    public TimeSpan StitchLag => LinkedAt - BothArrivedAt;

    internal bool SameLink(Hop other) =>
        Kind == other.Kind && Service == other.Service && Resource == other.Resource && Via == other.Via;
}
