using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Threadline.Stitching;
using Threadline.Stitching.Persistence;
using Threadline.Storage.ClickHouse;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Testing;

namespace Threadline.Reliability.Tests;

/// <summary>
/// Issue 14, scale-out: the real executable as two ingest processes (one fed over OTLP/HTTP, one over OTLP/gRPC), a
/// query process and two derive processes (one holds the derivation lease, the other stands by) on one real
/// ClickHouse. During the load one ingest process and the deriving process are killed with SIGKILL and started again.
/// In the end every acknowledged invocation is stored and stitched, the stitch state equals a fresh derivation of the
/// stored spans, exactly one process derives, and the query process answers from what the derive process wrote.
/// </summary>
public sealed class ScaleOutKillNineTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "threadline-scale-out", Guid.NewGuid().ToString("n"));
    private readonly string _database = "scale_out_" + Guid.NewGuid().ToString("n")[..8];
    private readonly ConcurrentDictionary<InvocationId, byte> _acknowledged = new();
    private readonly List<string> _sentMessages = [];
    private readonly List<ThreadlineProcess> _processes = [];
    private readonly ThreadlineProcess?[] _ingest = new ThreadlineProcess?[2];
    private ClickHouseServer? _clickHouse;
    private int _started;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _clickHouse = await ClickHouseServer.StartAsync(Ct);

    [Fact]
    public async Task Two_ingest_and_one_derive_process_survive_kill_9_and_every_acknowledged_invocation_is_stitched()
    {
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var deriving = await StartAsync("derive");
        var standby = await StartAsync("derive");
        _ingest[0] = await StartAsync("ingest");
        _ingest[1] = await StartAsync("ingest");
        var query = await StartAsync("query");
        using var queryApi = new HttpClient { BaseAddress = query.ApiBase };
        await Poll.UntilAsync(async () => await LeaseStateAsync(deriving) == "held", TimeSpan.FromSeconds(30), () => "the first derive process did not take the lease");
        Assert.Equal("standby", await LeaseStateAsync(standby));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var clients = new[]
        {
            Task.Run(() => ClientLoopAsync(0, seed, grpc: false, stop.Token), CancellationToken.None),
            Task.Run(() => ClientLoopAsync(1, seed + 1, grpc: true, stop.Token), CancellationToken.None),
        };
        try
        {
            await AcknowledgedMoreAsync(40);
            var killed = _ingest[0]!;
            _ingest[0] = null;
            await killed.KillAsync();
            await AcknowledgedMoreAsync(20);
            _ingest[0] = await StartAsync("ingest");
            await AcknowledgedMoreAsync(40);
            await deriving.KillAsync();
            await AcknowledgedMoreAsync(40);
            deriving = await StartAsync("derive");
            await AcknowledgedMoreAsync(20);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        // Once the killed holder's lease ran out, the standby or the restarted process takes it; the other stands by.
        var candidates = new[] { standby, deriving };
        await Poll.UntilAsync(async () => (await Task.WhenAll(candidates.Select(LeaseStateAsync))).Contains("held"), TimeSpan.FromSeconds(60),
            () => "no derive process took over the lease");
        Assert.Equal(["held", "standby"], (await Task.WhenAll(candidates.Select(LeaseStateAsync))).Order(StringComparer.Ordinal));

        var backend = new ClickHouseStorageBackend(new ClickHouseConnectionOptions { Url = _clickHouse!.Url, Database = _database }) { SharedDatabase = true };
        await using var spans = backend.OpenTelemetryStore();
        var roots = _acknowledged.Keys.ToList();
        var traces = roots.Select(r => r.TraceId).ToHashSet();
        // Every acknowledged span is stored (visible once every writer's commits before it settled).
        await Poll.UntilAsync(async () =>
        {
            await spans.RefreshCommitsAsync(Ct);
            var stored = await spans.GetTracesAsync(traces, Ct);
            return roots.All(r => stored.TryGetValue(r.TraceId, out var s) && s.Any(x => x.SpanId == r.SpanId));
        }, TimeSpan.FromSeconds(60), () => "not every acknowledged span is stored");
        var lastCommit = spans.LastCommitSequence;

        await using var stitchStore = backend.OpenStitchStore();
        var state = new PersistentStitchState(stitchStore, cacheTraces: 100, readersFillCache: false);
        await Poll.UntilAsync(() => state.ReadWatermark() >= lastCommit, TimeSpan.FromSeconds(120),
            () => $"the stitch watermark {state.ReadWatermark()} did not reach the last commit {lastCommit}");

        var reference = new StitchEngine(new InMemoryStitchState());
        await foreach (var page in spans.ScanSpansAsync(10_000, Ct))
            reference.Ingest(page);
        var persisted = new StitchEngine(state);
        var all = new TransactionFilter { Limit = int.MaxValue };
        var expected = reference.ListTransactions(all);
        Assert.Equal(expected, persisted.ListTransactions(all));
        var hopping = expected.Where(s => s.InvocationCount > 1).ToList();
        Assert.NotEmpty(hopping);
        foreach (var summary in expected)
        {
            var (want, got) = (reference.GetTransaction(summary.Id)!, persisted.GetTransaction(summary.Id)!);
            Assert.Equal(want.Invocations.Select(i => i.Id), got.Invocations.Select(i => i.Id));
        }
        var unstitched = roots.Where(id => persisted.GetInvocation(id) is null).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{roots.Count} invocations acknowledged, {expected.Count} transactions, {hopping.Count} across a hop");
        Assert.True(unstitched.Count == 0, $"{unstitched.Count} of {roots.Count} acknowledged invocations are not stitched (seed {seed})");

        // The query process answers from the derived state; an ingest process does not serve the API.
        var sample = hopping[new Random(seed).Next(hopping.Count)];
        var answer = await queryApi.GetFromJsonAsync<JsonElement>($"/api/transactions/{sample.Id}", Ct);
        Assert.Equal(sample.InvocationCount, answer.GetProperty("invocations").GetArrayLength());
        using var ingestApi = new HttpClient { BaseAddress = _ingest[1]!.ApiBase };
        Assert.Equal(HttpStatusCode.NotFound, (await ingestApi.GetAsync($"/api/transactions/{sample.Id}", Ct)).StatusCode);
    }

    private async Task<ThreadlineProcess> StartAsync(string role)
    {
        var data = Path.Combine(_root, $"{role}-{Interlocked.Increment(ref _started)}");
        var process = await ThreadlineProcess.StartAsync(data,
            $"--store clickhouse --clickhouse-url {_clickHouse!.Url} --clickhouse-database {_database} --role {role}", Ct);
        lock (_processes)
            _processes.Add(process);
        return process;
    }

    private static async Task<string?> LeaseStateAsync(ThreadlineProcess process)
    {
        using var api = new HttpClient { BaseAddress = process.ApiBase };
        var health = await api.GetFromJsonAsync<JsonElement>("/api/health", Ct);
        return health.TryGetProperty("lease", out var lease) && lease.ValueKind == JsonValueKind.Object ? lease.GetProperty("state").GetString() : null;
    }

    private async Task AcknowledgedMoreAsync(int count)
    {
        var enough = _acknowledged.Count + count;
        await Poll.UntilAsync(() => _acknowledged.Count >= enough, TimeSpan.FromSeconds(90), () => $"only {_acknowledged.Count} of {enough} invocations acknowledged");
    }

    /// <summary>Sends SQS hops to one ingest process; consumers name messages either client's producers sent.</summary>
    private async Task ClientLoopAsync(int target, int seed, bool grpc, CancellationToken stop)
    {
        var random = new Random(seed);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        GrpcChannel? channel = null;
        ThreadlineProcess? channelFor = null;
        var sent = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (Volatile.Read(ref _ingest[target]) is not { } server)
                {
                    await Task.Delay(10, CancellationToken.None);
                    continue;
                }
                var message = $"m-{seed}-{sent++}";
                string? consumed;
                lock (_sentMessages)
                    consumed = _sentMessages.Count > 0 ? _sentMessages[random.Next(_sentMessages.Count)] : null;
                var (request, roots) = SqsHopRequests.Create(random, message, consumed, $"scale-out-{target}");
                var ok = false;
                try
                {
                    if (grpc)
                    {
                        if (channelFor != server)
                        {
                            channel?.Dispose();
                            channel = GrpcChannel.ForAddress(server.OtlpGrpcBase);
                            channelFor = server;
                        }
                        await channel!.CreateCallInvoker().AsyncUnaryCall(RawGrpc.ExportTraces, null, new Grpc.Core.CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)), request.ToByteArray());
                        ok = true;
                    }
                    else
                    {
                        using var content = new ByteArrayContent(request.ToByteArray());
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                        using var response = await http.PostAsync(new Uri(server.OtlpHttpBase, "/v1/traces"), content, CancellationToken.None);
                        ok = response.StatusCode == HttpStatusCode.OK;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or Grpc.Core.RpcException)
                {
                    await Task.Delay(10, CancellationToken.None);
                }
                if (!ok)
                    continue;
                foreach (var root in roots)
                    _acknowledged.TryAdd(root, 0);
                lock (_sentMessages)
                    _sentMessages.Add(message);
            }
        }
        finally
        {
            channel?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
            await process.DisposeAsync();
        if (_clickHouse is not null)
            await _clickHouse.DisposeAsync();
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
