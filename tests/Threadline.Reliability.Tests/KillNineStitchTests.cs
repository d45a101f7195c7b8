using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Threadline.Stitching;
using Threadline.Stitching.Persistence;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Stitching;

namespace Threadline.Reliability.Tests;

/// <summary>
/// Issue 13, derived state: the real executable is killed with SIGKILL at random moments while producers and
/// consumers of SQS messages arrive in separate requests (a consumer's producer often in an earlier incarnation);
/// in the end the stitch state in the store equals a fresh derivation of every stored span, and every acknowledged
/// invocation is stitched.
/// </summary>
public sealed class KillNineStitchTests : IDisposable
{
    private const int Cycles = 4;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "threadline-reliability", Guid.NewGuid().ToString("n"));
    private readonly ConcurrentDictionary<InvocationId, byte> _acknowledged = new();
    private volatile ThreadlineProcess? _current;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_repeated_kill_9_the_stitch_state_equals_a_fresh_derivation_of_the_stored_spans()
    {
        var seed = Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var clients = Enumerable.Range(0, 2).Select(i => Task.Run(() => ClientLoopAsync(seed + i, stop.Token), CancellationToken.None)).ToList();
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                var server = await ThreadlineProcess.StartAsync(_data, cancellationToken: Ct);
                var before = _acknowledged.Count;
                _current = server;
                // Kill at a random moment once this incarnation has acknowledged a few requests (some consumers then
                // name producers of earlier incarnations).
                var killAt = DateTime.UtcNow + TimeSpan.FromMilliseconds(random.Next(300, 1500));
                var enough = before + random.Next(6, 20);
                await Poll.UntilAsync(() => _acknowledged.Count >= enough && DateTime.UtcNow >= killAt, TimeSpan.FromSeconds(60),
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

        // The last start derives whatever a kill left past the watermark, in the background.
        await using (var last = await ThreadlineProcess.StartAsync(_data, cancellationToken: Ct))
        {
            using var api = new HttpClient { BaseAddress = last.ApiBase };
            await Poll.UntilAsync(async () => await StitchingStateAsync(api) == "done", TimeSpan.FromSeconds(60), () => "the stitching derivation did not finish");
            await last.KillAsync();
        }

        var reference = new StitchEngine(new InMemoryStitchState());
        long lastCommit;
        // Opened as the server opens them: the backend sees the log the last kill left and has the stitch indexes rebuilt.
        var backend = new DuckDbStorageBackend(new DuckDbStoreOptions { DataDirectory = _data });
        Assert.True(backend.Recovering);
        await using (var spans = backend.OpenTelemetryStore())
        {
            lastCommit = spans.LastCommitSequence;
            await foreach (var page in spans.ScanSpansAsync(10_000, Ct))
                reference.Ingest(page);
        }
        await using var store = backend.OpenStitchStore();
        var state = new PersistentStitchState(store, cacheTraces: 100);
        var persisted = new StitchEngine(state);

        Assert.Equal(lastCommit, state.ReadWatermark());
        var all = new TransactionFilter { Limit = int.MaxValue };
        var expected = reference.ListTransactions(all);
        Assert.Equal(expected, persisted.ListTransactions(all));
        Assert.Contains(expected, s => s.InvocationCount > 1);
        foreach (var summary in expected)
        {
            var (want, got) = (reference.GetTransaction(summary.Id)!, persisted.GetTransaction(summary.Id)!);
            Assert.Equal(want.Invocations.Select(i => i.Id), got.Invocations.Select(i => i.Id));
            // Link times are the engine's clock when it linked, which differs between the two derivations.
            Assert.Equal(want.Hops.Select(Link), got.Hops.Select(Link));
        }
        var unstitched = _acknowledged.Keys.Where(id => persisted.GetInvocation(id) is null).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"{_acknowledged.Count} invocations acknowledged over {Cycles} kills, {expected.Count} transactions");
        Assert.True(unstitched.Count == 0, $"{unstitched.Count} of {_acknowledged.Count} acknowledged invocations are not stitched (seed {seed}), e.g. {string.Join(", ", unstitched.Take(3))}");
    }

    private static string Link(Hop hop) => $"{hop.From} -> {hop.To} {hop.Kind} {hop.Service} {hop.Resource} {hop.Via}";

    private static async Task<string?> StitchingStateAsync(HttpClient api)
    {
        var health = await api.GetFromJsonAsync<JsonElement>("/api/health", Ct);
        return health.TryGetProperty("derivation", out var derivation) && derivation.ValueKind == JsonValueKind.Object
            ? derivation.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("part").GetString() == "stitching").GetProperty("state").GetString()
            : null;
    }

    /// <summary>Sends requests each holding one producer (it sends a message) and one consumer of an earlier request's message.</summary>
    private async Task ClientLoopAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var sent = new List<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (!stop.IsCancellationRequested)
        {
            if (_current is not { } server)
            {
                await Task.Delay(10, CancellationToken.None);
                continue;
            }
            var message = $"m-{seed}-{sent.Count}";
            var consumed = sent.Count > 0 ? sent[random.Next(sent.Count)] : null;
            var (request, roots) = SqsHopRequests.Create(random, message, consumed, "kill-nine-stitch");
            sent.Add(message);
            using var content = new ByteArrayContent(request.ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            try
            {
                using var response = await http.PostAsync(new Uri(server.OtlpHttpBase, "/v1/traces"), content, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    foreach (var root in roots)
                        _acknowledged.TryAdd(root, 0);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                await Task.Delay(10, CancellationToken.None);
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }
}
