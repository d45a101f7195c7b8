namespace Threadline.Server.Api.Contracts;

/// <summary>The body of every API error: what was wrong, in a sentence.</summary>
public sealed record ApiError(string Error);

/// <param name="XrayUdp">The X-Ray UDP receiver's counts (datagrams, spans stored, drops), when it runs.</param>
/// <param name="Derivation">The start's background derivation of stored spans past each derived part's watermark.</param>
public sealed record HealthResponse(string Status, long Spans, long Logs, long BytesOnDisk, Ingest.Receive.Udp.XRayReceiverStatistics? XrayUdp = null,
    Threadline.Server.Derivation.DerivationResponse? Derivation = null)
{
    /// <summary>This process's <c>--role</c>: <c>all</c>, or its parts of a shared store (e.g. <c>ingest,query</c>).</summary>
    public string Role { get; init; } = "all";

    /// <summary>Where this process derives: whether it holds the derivation lease, or who does (null otherwise).</summary>
    public Roles.DeriveLeaseResponse? Lease { get; init; }

    /// <summary>The latest commit this process sees stored (every process's, on a shared store).</summary>
    public long LastCommitSequence { get; init; }
}
