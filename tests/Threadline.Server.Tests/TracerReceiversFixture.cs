using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Threadline.Server.Tests;

/// <summary>A real server with the X-Ray UDP receiver and the Zipkin listener on free loopback ports.</summary>
public sealed class TracerReceiversFixture : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "threadline-tests", Guid.NewGuid().ToString("n"));
    public RunningServer Server { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public HttpClient Zipkin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await ThreadlineServer.StartAsync(new ThreadlineServerOptions
        {
            DataDirectory = DataDirectory,
            ApiPort = 0,
            OtlpHttpPort = 0,
            OtlpGrpcPort = 0,
            XrayPort = 0,
            ZipkinPort = 0,
        });
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.ApiPort}") };
        Zipkin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Server.ZipkinPort}") };
    }

    public static byte[] RealClient(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", name));

    /// <summary>Sends datagrams, in order, from one real UDP socket to the receiver.</summary>
    public async Task SendAsync(params byte[][] datagrams)
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        foreach (var datagram in datagrams)
            await udp.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, Server.XrayPort!.Value), TestContext.Current.CancellationToken);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls the trace until <paramref name="done"/> holds for its spans, failing with the last answer after a deadline.</summary>
    public async Task<List<JsonElement>> WaitForSpansAsync(string traceId, Func<List<JsonElement>, bool> done)
    {
        var ct = TestContext.Current.CancellationToken;
        var watch = Stopwatch.StartNew();
        var last = "(no answer)";
        while (watch.Elapsed < Deadline)
        {
            using var response = await Api.GetAsync($"/api/traces/{traceId}", ct);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var spans = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("spans").EnumerateArray()
                    .Select(s => s.Clone()).ToList();
                if (done(spans))
                    return spans;
            }
            await Task.Delay(50, ct);
        }
        Assert.Fail($"trace {traceId}: the condition did not hold within {Deadline}; last answer: {last}");
        return [];
    }

    /// <summary>
    /// Polls the transactions of a trace until <paramref name="done"/> holds. For data sent without an acknowledgement
    /// (X-Ray over UDP): its spans are readable as soon as they are stored, a moment before the stitcher has derived
    /// them on the writer loop.
    /// </summary>
    public async Task<List<JsonElement>> WaitForTransactionsAsync(string traceId, Func<List<JsonElement>, bool> done)
    {
        var ct = TestContext.Current.CancellationToken;
        var watch = Stopwatch.StartNew();
        var last = "(no answer)";
        while (watch.Elapsed < Deadline)
        {
            using var response = await Api.GetAsync($"/api/transactions?traceId={traceId}", ct);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var transactions = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("transactions")
                    .EnumerateArray().Select(t => t.Clone()).ToList();
                if (done(transactions))
                    return transactions;
            }
            await Task.Delay(50, ct);
        }
        Assert.Fail($"trace {traceId}: the transactions did not settle within {Deadline}; last answer: {last}");
        return [];
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        Zipkin?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true);
    }
}
