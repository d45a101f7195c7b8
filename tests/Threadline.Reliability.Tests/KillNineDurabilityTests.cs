using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Threadline.Storage.DuckDb;

namespace Threadline.Reliability.Tests;

/// <summary>
/// Issue 9, durability: the real executable is killed with SIGKILL at random moments during sustained ingest from
/// several concurrent OTLP clients; after each restart on the same folder the store opens, and in the end every span
/// that was acknowledged with 200 / OK is in the store.
/// </summary>
public sealed class KillNineDurabilityTests : IDisposable
{
    private const int Cycles = 5;
    private const int HttpClients = 3;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "threadline-reliability", Guid.NewGuid().ToString("n"));
    private readonly ConcurrentDictionary<string, byte> _acknowledged = new();
    private volatile ThreadlineProcess? _current;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_acknowledged_span_survives_repeated_kill_9_during_ingest()
    {
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var clients = Enumerable.Range(0, HttpClients).Select(i => Task.Run(() => HttpClientLoopAsync(seed + i, stop.Token), CancellationToken.None))
            .Append(Task.Run(() => GrpcClientLoopAsync(seed + 100, stop.Token), CancellationToken.None))
            .ToList();
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                var server = await ThreadlineProcess.StartAsync(_data, cancellationToken: Ct);
                var before = _acknowledged.Count;
                _current = server;
                // Kill at a random moment, but only once this incarnation has acknowledged something.
                var killAt = DateTime.UtcNow + TimeSpan.FromMilliseconds(random.Next(300, 1500));
                await Poll.UntilAsync(() => _acknowledged.Count > before && DateTime.UtcNow >= killAt, TimeSpan.FromSeconds(30),
                    () => $"cycle {cycle}: nothing acknowledged since the restart ({_acknowledged.Count} in all)");
                _current = null;
                await server.KillAsync();
                await server.DisposeAsync();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(_acknowledged.Count > 0);
        // After the last kill, the folder opens cleanly both in the server and directly, and holds every acknowledged span.
        await using (var last = await ThreadlineProcess.StartAsync(_data, cancellationToken: Ct))
        {
            using var api = new HttpClient { BaseAddress = last.ApiBase };
            var health = await api.GetAsync("/api/health", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            await last.KillAsync();
        }
        var stored = new HashSet<string>();
        await using (var store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = _data }))
        {
            await foreach (var page in store.ScanSpansAsync(10_000, Ct))
            {
                foreach (var span in page)
                    stored.Add(span.SpanId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{_acknowledged.Count} spans acknowledged over {Cycles} kills, {stored.Count} stored");
        var lost = _acknowledged.Keys.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {_acknowledged.Count} acknowledged spans were lost (seed {seed}), e.g. {string.Join(", ", lost.Take(5))}");
    }

    private async Task HttpClientLoopAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (!stop.IsCancellationRequested)
        {
            if (_current is not { } server)
            {
                await Task.Delay(10, CancellationToken.None);
                continue;
            }
            var (request, ids) = OtlpBatches.Create(random, "kill-nine-http", random.Next(1, 40), random.Next(200, 4000));
            using var content = new ByteArrayContent(request.ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            try
            {
                using var response = await http.PostAsync(new Uri(server.OtlpHttpBase, "/v1/traces"), content, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                    Acknowledge(ids);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The server was killed under this request: it was not acknowledged.
                await Task.Delay(10, CancellationToken.None);
            }
        }
    }

    private async Task GrpcClientLoopAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        ThreadlineProcess? connectedTo = null;
        GrpcChannel? channel = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (_current is not { } server)
                {
                    await Task.Delay(10, CancellationToken.None);
                    continue;
                }
                if (!ReferenceEquals(server, connectedTo))
                {
                    channel?.Dispose();
                    channel = GrpcChannel.ForAddress(server.OtlpGrpcBase);
                    connectedTo = server;
                }
                var (request, ids) = OtlpBatches.Create(random, "kill-nine-grpc", random.Next(1, 40), random.Next(200, 4000));
                try
                {
                    await channel!.CreateCallInvoker().AsyncUnaryCall(RawGrpc.ExportTraces, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), request.ToByteArray());
                    Acknowledge(ids);
                }
                catch (RpcException)
                {
                    await Task.Delay(10, CancellationToken.None);
                }
            }
        }
        finally
        {
            channel?.Dispose();
        }
    }

    private void Acknowledge(List<string> ids)
    {
        foreach (var id in ids)
            _acknowledged.TryAdd(id, 0);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }
}
