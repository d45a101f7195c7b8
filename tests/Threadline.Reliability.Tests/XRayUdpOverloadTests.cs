using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Ingest.Receive.Udp;
using Threadline.Telemetry;

namespace Threadline.Reliability.Tests;

/// <summary>
/// The X-Ray UDP receiver against a store that stops taking writes: its queue fills, and every datagram it received
/// is then either stored (once the store takes writes again) or counted as dropped; none vanishes uncounted.
/// </summary>
public sealed class XRayUdpOverloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_store_stalled_every_received_datagram_is_stored_or_counted()
    {
        var sink = new StalledSink();
        using var receiver = new XRayUdpReceiver(new XRayReceiverOptions { Port = 0, QueueCapacity = 8 }, sink, NullLogger<XRayUdpReceiver>.Instance);
        await receiver.StartAsync(Ct);
        var datagram = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", "xray-udp-1.txt"));

        using (var udp = new UdpClient(AddressFamily.InterNetwork))
        {
            for (var i = 0; i < 40; i++)
            {
                await udp.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, receiver.Port), Ct);
                // One at a time, so that the kernel's socket buffer never overflows: only the receiver may drop.
                await Poll.UntilAsync(() => receiver.Statistics.Datagrams == i + 1, TimeSpan.FromSeconds(10), () => $"datagram {i + 1} was not received");
            }
        }
        var stalled = receiver.Statistics;
        Assert.True(stalled.DroppedOverload > 0, $"the queue of 8 never filled: {stalled}");
        Assert.Equal(0, stalled.SpansStored);

        sink.Resume();
        await receiver.StopAsync(Ct);

        var final = receiver.Statistics;
        Assert.Equal(sink.Spans, final.SpansStored);
        Assert.Equal(40, final.SpansStored / 3 + final.DroppedOverload);
        Assert.Equal(0, final.SpansStored % 3);
    }

    /// <summary>A sink whose writes wait until <see cref="Resume"/>, then are counted.</summary>
    private sealed class StalledSink : ITelemetrySink
    {
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _spans;

        public long Spans => Interlocked.Read(ref _spans);

        public void Resume() => _resumed.TrySetResult();

        public async ValueTask WriteAsync(TelemetryBatch batch, CancellationToken cancellationToken)
        {
            await _resumed.Task.WaitAsync(cancellationToken);
            Interlocked.Add(ref _spans, batch.Spans.Count);
        }
    }
}
