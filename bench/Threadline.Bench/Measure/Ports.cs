using System.Net;
using System.Net.Sockets;

namespace Threadline.Bench.Measure;

internal static class Ports
{
    /// <summary>A port that was free a moment ago (for programs that cannot report the port they picked).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
