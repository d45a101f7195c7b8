namespace Threadline.Server.Api.Contracts;

/// <summary>The body of every API error: what was wrong, in a sentence.</summary>
public sealed record ApiError(string Error);

/// <param name="XrayUdp">The X-Ray UDP receiver's counts (datagrams, spans stored, drops), when it runs.</param>
/// <param name="Derivation">The start's background derivation of stored spans past each derived part's watermark.</param>
public sealed record HealthResponse(string Status, long Spans, long Logs, long BytesOnDisk, Ingest.Receive.Udp.XRayReceiverStatistics? XrayUdp = null,
    Threadline.Server.Derivation.DerivationResponse? Derivation = null);
