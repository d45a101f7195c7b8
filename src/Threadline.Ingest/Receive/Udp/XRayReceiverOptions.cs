using System.Net;

namespace Threadline.Ingest.Receive.Udp;

/// <summary>Where the X-Ray daemon protocol is received. Unauthenticated: loopback unless another address is named.</summary>
public sealed class XRayReceiverOptions
{
    public const int DefaultPort = 2000;

    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;
    /// <summary>0 picks a free port (see <see cref="XRayUdpReceiver.Port"/>).</summary>
    public int Port { get; init; } = DefaultPort;
    /// <summary>How long a Lambda facade stand-in waits for more subsegments (see <c>XRayFacades</c>).</summary>
    public TimeSpan FacadeQuiet { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan FacadeMaxWait { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Datagrams held between the socket and the store; when full, new ones are dropped and counted.</summary>
    public int QueueCapacity { get; init; } = 10_000;
}

/// <summary>What the X-Ray UDP receiver has done since the start (<c>GET /api/health</c>).</summary>
public sealed record XRayReceiverStatistics(
    int Port,
    long Datagrams,
    long SpansStored,
    long DroppedMalformed,
    long DroppedOverload,
    long InProgressSkipped,
    string? LastDropReason);
