using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize;
using Threadline.Telemetry;

namespace Threadline.Ingest.Receive.Udp;

/// <summary>
/// Receives the X-Ray daemon protocol over UDP: X-Ray SDK segment documents and ADOT's OTLP datagrams
/// (<see cref="XRayDatagram"/>). One loop reads the socket into a bounded queue; another takes every datagram waiting,
/// decodes and normalizes each on its own (a bad one is dropped and counted, with a warning at most every
/// <see cref="LogInterval"/>; the others go on) and writes them to the sink as one batch. UDP has no acknowledgement:
/// a datagram is durable once that batch is committed, typically milliseconds after it arrived; until then it is in
/// memory only.
/// </summary>
public sealed partial class XRayUdpReceiver(XRayReceiverOptions options, ITelemetrySink sink, ILogger<XRayUdpReceiver> logger, TimeProvider? time = null)
    : IHostedService, IDisposable
{
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
    private const int MaxDatagramsPerBatch = 1_000;

    private static readonly Meter Meter = new("Threadline.Ingest.XRay");
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("threadline.xray.datagrams.dropped", "{datagram}",
        "X-Ray daemon datagrams dropped: malformed, or the queue was full.");

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.QueueCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        // Wait, not DropWrite: with a Drop mode TryWrite reports success for the item it drops, so the drop could not be counted.
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly XRayFacades _facades = new(options.FacadeQuiet, options.FacadeMaxWait);
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task _receiving = Task.CompletedTask;
    private Task _writing = Task.CompletedTask;

    private int _disposed;
    private long _datagrams;
    private long _spansStored;
    private long _droppedMalformed;
    private long _droppedOverload;
    private long _inProgress;
    private string? _lastDropReason;
    private long _unloggedDrops;
    private DateTimeOffset _lastLog = DateTimeOffset.MinValue;

    /// <summary>The port bound (the chosen one when the options asked for 0); valid once started.</summary>
    public int Port { get; private set; }

    public XRayReceiverStatistics Statistics => new(Port, Interlocked.Read(ref _datagrams), Interlocked.Read(ref _spansStored),
        Interlocked.Read(ref _droppedMalformed), Interlocked.Read(ref _droppedOverload), Interlocked.Read(ref _inProgress), Volatile.Read(ref _lastDropReason));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024 };
        try
        {
            socket.Bind(new IPEndPoint(options.BindAddress, options.Port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Cannot receive X-Ray UDP on {options.BindAddress}:{options.Port}: {e.Message}", e);
        }
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _receiving = Task.Run(() => ReceiveLoopAsync(socket), CancellationToken.None);
        _writing = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops reading the socket, then stores what was already received and the facades still waiting.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _socket?.Dispose();
        await _receiving.ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Idempotent: the container disposes it both as itself and as the hosted service.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _socket?.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        var buffer = new byte[XRayDatagram.MaxBytes + 1];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (true)
        {
            int length;
            try
            {
                length = (await socket.ReceiveFromAsync(buffer, SocketFlags.None, any).ConfigureAwait(false)).ReceivedBytes;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
            {
                return;
            }
            catch (SocketException e)
            {
                // A datagram larger than the buffer (MessageSize) or an ICMP error on this socket: that one is lost.
                Drop(ref _droppedMalformed, $"receive failed: {e.Message}");
                continue;
            }
            Interlocked.Increment(ref _datagrams);
            if (length > XRayDatagram.MaxBytes)
            {
                Drop(ref _droppedMalformed, $"a datagram over {XRayDatagram.MaxBytes} bytes");
                continue;
            }
            if (!_queue.Writer.TryWrite(buffer.AsSpan(0, length).ToArray()))
                Drop(ref _droppedOverload, $"the queue of {options.QueueCapacity} datagrams was full (the store is behind)");
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var spans = new List<SpanRecord>();
        var datagrams = new List<byte[]>();
        while (true)
        {
            var more = await WaitAsync(reader).ConfigureAwait(false);
            while (datagrams.Count < MaxDatagramsPerBatch && reader.TryRead(out var datagram))
                datagrams.Add(datagram);
            var now = _time.GetUtcNow();
            foreach (var datagram in datagrams)
                Decode(datagram, now, spans);
            datagrams.Clear();
            _facades.TakeDue(now, all: !more, spans);
            if (spans.Count > 0)
            {
                await StoreAsync(spans).ConfigureAwait(false);
                spans.Clear();
            }
            if (!more)
                return;
        }
    }

    /// <summary>Waits for a datagram, or for a facade to come due; false once the queue is completed and empty.</summary>
    private async Task<bool> WaitAsync(ChannelReader<byte[]> reader)
    {
        if (reader.TryPeek(out _))
            return true;
        using var tick = new CancellationTokenSource(TimeSpan.FromMilliseconds(250), _time);
        try
        {
            return await reader.WaitToReadAsync(tick.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private void Decode(byte[] datagram, DateTimeOffset now, List<SpanRecord> spans)
    {
        try
        {
            var content = XRayDatagram.Decode(datagram);
            if (content.Otlp is { } otlp)
            {
                spans.AddRange(OtlpTraceNormalizer.Normalize(otlp));
                return;
            }
            var segment = content.Segment!;
            if (segment.InProgress)
            {
                // The SDK sends the document again when it ends; storing both would keep the unfinished one.
                Interlocked.Increment(ref _inProgress);
                return;
            }
            var records = OtlpTraceNormalizer.Normalize(segment.Request);
            var facade = segment.FacadeParent is { Length: 8 } parent ? BinaryPrimitives.ReadUInt64BigEndian(parent.Span) : (ulong?)null;
            _facades.Observe(records, facade is 0 ? null : facade, now, spans);
            spans.AddRange(records);
        }
        catch (OtlpFormatException e)
        {
            Drop(ref _droppedMalformed, e.Message);
        }
    }

    private async Task StoreAsync(List<SpanRecord> spans)
    {
        var batch = new TelemetryBatch([.. spans], []);
        while (true)
        {
            try
            {
                await sink.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _spansStored, batch.Spans.Count);
                return;
            }
            catch (TelemetryRejectedException e) when (!_stopping.IsCancellationRequested)
            {
                // The store is behind: hold this batch (the socket's queue fills meanwhile, then drops and counts).
                await Task.Delay(e.RetryAfter, _time).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TelemetryRejectedException or ObjectDisposedException or InvalidOperationException)
            {
                Interlocked.Add(ref _droppedOverload, 1);
                LogStoreFailed(logger, batch.Spans.Count, e.Message);
                return;
            }
        }
    }

    private void Drop(ref long counter, string reason)
    {
        Interlocked.Increment(ref counter);
        Dropped.Add(1);
        Volatile.Write(ref _lastDropReason, reason);
        var unlogged = Interlocked.Increment(ref _unloggedDrops);
        var now = _time.GetUtcNow();
        lock (_queue)
        {
            if (now - _lastLog < LogInterval)
                return;
            _lastLog = now;
            Interlocked.Add(ref _unloggedDrops, -unlogged);
        }
        LogDropped(logger, unlogged, LogInterval.TotalSeconds, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "X-Ray UDP: dropped {Count} datagram(s) (at most one warning every {Seconds} s); the last: {Reason}")]
    private static partial void LogDropped(ILogger logger, long count, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "X-Ray UDP: {Count} span(s) could not be stored: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, int count, string reason);
}
