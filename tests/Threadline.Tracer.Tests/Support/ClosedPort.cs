using System.Net;
using System.Net.Sockets;

namespace Threadline.Tracer.Tests.Support;

/// <summary>An address on 127.0.0.1 where nothing listens (a port bound then released).</summary>
public static class ClosedPort
{
    public static Task<Uri> FindAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return Task.FromResult(new Uri($"http://127.0.0.1:{port}/"));
    }
}
