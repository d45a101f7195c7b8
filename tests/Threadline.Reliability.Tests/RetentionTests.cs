using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Server;
using Threadline.Storage;
using Threadline.Storage.DuckDb;
using Threadline.Storage.Retention;
using Threadline.Telemetry;

namespace Threadline.Reliability.Tests;

/// <summary>
/// Issue 9, retention: on a real DuckDB file, data older than the age goes, the oldest data goes when the disk budget
/// is exceeded, and writes running at the same time are all kept.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
    private static readonly ResourceRecord Resource = new(11, "retention", [new("service.name", "retention")], null);
    private static readonly ScopeRecord Scope = new(12, "tests", null, []);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "threadline-reliability", Guid.NewGuid().ToString("n"));
    private DuckDbTelemetryStore _store = null!;
    private ulong _nextSpanId = 1;
    private readonly ToldCutoffs _told = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _store = DuckDbTelemetryStore.Open(new DuckDbStoreOptions { DataDirectory = _data });
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Data_older_than_the_age_is_deleted_while_writes_go_on()
    {
        var old = Batch(Now - (long)TimeSpan.FromDays(10).TotalNanoseconds, spans: 200, payload: 100);
        var recent = Batch(Now - (long)TimeSpan.FromDays(6).TotalNanoseconds, spans: 200, payload: 100);
        await _store.WriteAsync([old, recent], Ct);
        await using var worker = Worker(new RetentionOptions { MaxAge = TimeSpan.FromDays(7) });

        // Writes keep coming through the group-commit sink while the pass runs.
        await using var sink = new GroupCommitSink(_store, [], new GroupCommitOptions(), NullLogger<GroupCommitSink>.Instance);
        using var stop = new CancellationTokenSource();
        var written = new List<TelemetryBatch>();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = Batch(Now, spans: 20, payload: 100);
                await sink.WriteAsync(batch, Ct);
                written.Add(batch);
            }
        }, Ct);
        var deleted = await worker.RunPassAsync(Ct);
        await Poll.UntilAsync(() => written.Count >= 5, TimeSpan.FromSeconds(30), () => "the concurrent writer did not write");
        await stop.CancelAsync();
        await writer;

        Assert.Equal(new DeletedRecords(200, 1), deleted);
        var cutoff = Assert.Single(_told.Cutoffs);
        Assert.InRange(cutoff, old.Spans[^1].StartTimeUnixNano + 1, recent.Spans[0].StartTimeUnixNano);
        Assert.Empty(await _store.GetTraceAsync(old.Spans[0].TraceId, Ct));
        Assert.Empty(await _store.FindLogsAsync(new LogQuery { TraceId = old.Spans[0].TraceId }, Ct));
        Assert.Equal(200, (await _store.GetTraceAsync(recent.Spans[0].TraceId, Ct)).Count);
        Assert.Single(await _store.FindLogsAsync(new LogQuery { TraceId = recent.Spans[0].TraceId }, Ct));
        foreach (var batch in written)
            Assert.Equal(batch.Spans.Count, (await _store.GetTraceAsync(batch.Spans[0].TraceId, Ct)).Count);
    }

    [Fact]
    public async Task Over_the_disk_budget_the_oldest_data_is_deleted_until_it_fits()
    {
        var batches = new List<TelemetryBatch>();
        for (var hour = 40; hour > 0; hour--)
        {
            var batch = Batch(Now - (long)TimeSpan.FromHours(hour).TotalNanoseconds, spans: 100, payload: 1_500);
            batches.Add(batch);
            await _store.WriteAsync([batch], Ct);
        }
        var used = await _store.GetUsedBytesAsync(Ct);
        var budget = Math.Max(RetentionOptions.MinDiskBudgetBytes, used / 2);
        Assert.True(used > budget, $"the test data ({used} bytes) must exceed the budget ({budget})");
        await using var worker = Worker(new RetentionOptions { DiskBudgetBytes = budget });

        var deleted = await worker.RunPassAsync(Ct);

        var after = await _store.GetUsedBytesAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"used {used} → {after} bytes (budget {budget}); deleted {deleted.Spans} spans");
        Assert.True(after <= budget, $"{after} bytes used after the pass, over the budget of {budget}");
        Assert.Empty(await _store.GetTraceAsync(batches[0].Spans[0].TraceId, Ct));
        Assert.Equal(100, (await _store.GetTraceAsync(batches[^1].Spans[0].TraceId, Ct)).Count);
        // Oldest first: whatever is kept is newer than whatever went.
        var kept = batches.Select((b, i) => (i, Kept: _store.GetTraceAsync(b.Spans[0].TraceId, Ct).Result.Count > 0)).ToList();
        var firstKept = kept.First(k => k.Kept).i;
        Assert.All(kept.Skip(firstKept), k => Assert.True(k.Kept, $"batch {k.i} was deleted though an older one was kept"));
        Assert.True(firstKept > 0 && firstKept < batches.Count - 1, $"the pass kept from batch {firstKept} of {batches.Count}");
    }

    [Fact]
    public async Task The_server_enforces_retention_in_the_background()
    {
        await using var server = await InProcessServer.StartAsync(data => new ThreadlineServerOptions
        {
            DataDirectory = data,
            Retention = TimeSpan.FromHours(1),
            RetentionInterval = TimeSpan.FromMilliseconds(200),
        });
        var random = new Random(3);
        var (oldRequest, _) = OtlpBatches.Create(random, "retention", 3, 10);
        foreach (var span in oldRequest.ResourceSpans[0].ScopeSpans[0].Spans)
        {
            span.StartTimeUnixNano -= (ulong)TimeSpan.FromHours(2).TotalNanoseconds;
            span.EndTimeUnixNano -= (ulong)TimeSpan.FromHours(2).TotalNanoseconds;
        }
        var (newRequest, _) = OtlpBatches.Create(random, "retention", 3, 10);
        using var http = new HttpClient();
        foreach (var request in new[] { oldRequest, newRequest })
        {
            using var content = new ByteArrayContent(request.ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(new Uri(server.OtlpHttpBase, "/v1/traces"), content, Ct)).StatusCode);
        }

        var oldTrace = Convert.ToHexString(oldRequest.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span).ToLowerInvariant();
        var newTrace = Convert.ToHexString(newRequest.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span).ToLowerInvariant();
        await Poll.UntilAsync(async () => (await server.Api.GetAsync($"/api/traces/{oldTrace}", Ct)).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), () => "the two-hour-old trace is still served with a one-hour retention");
        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync($"/api/traces/{newTrace}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("7d", 7 * 24 * 3600)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("30m", 30 * 60)]
    [InlineData("90s", 90)]
    public void Ages_parse(string text, int seconds)
    {
        var errors = new List<string>();
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetentionValues.ParseAge(text, "--retention", errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("10GB", 10L << 30)]
    [InlineData("500MB", 500L << 20)]
    [InlineData("64KiB", 64L << 10)]
    [InlineData("2T", 2L << 40)]
    [InlineData("1048576", 1048576)]
    public void Sizes_parse(string text, long bytes)
    {
        var errors = new List<string>();
        Assert.Equal(bytes, RetentionValues.ParseBytes(text, "--disk-budget", errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("--retention", "7")]
    [InlineData("--retention", "-1d")]
    [InlineData("--retention", "week")]
    [InlineData("--disk-budget", "10 parsecs")]
    [InlineData("--disk-budget", "99999999999999TB")]
    public void Malformed_values_are_reported_by_name(string flag, string text)
    {
        var errors = new List<string>();
        var value = flag == "--retention" ? (object?)RetentionValues.ParseAge(text, flag, errors) : RetentionValues.ParseBytes(text, flag, errors);
        Assert.Null(value);
        Assert.Contains(flag, Assert.Single(errors), StringComparison.Ordinal);
        Assert.Contains(text, errors[0], StringComparison.Ordinal);
    }

    private RetentionWorker Worker(RetentionOptions options) => new(_store, options, [_told], NullLogger<RetentionWorker>.Instance);

    /// <summary>Records the cutoffs the worker announces after deleting.</summary>
    private sealed class ToldCutoffs : IDeletionObserver
    {
        public List<long> Cutoffs { get; } = [];

        public void OnDeletedBefore(long cutoffUnixNano) => Cutoffs.Add(cutoffUnixNano);
    }

    private TelemetryBatch Batch(long startUnixNano, int spans, int payload)
    {
        var traceId = (UInt128)Guid.NewGuid().ToByteArray().Aggregate(UInt128.One, (a, b) => (a << 8) | b);
        var records = Enumerable.Range(0, spans).Select(i => new SpanRecord
        {
            TraceId = traceId,
            SpanId = _nextSpanId++,
            Name = "retained " + i,
            StartTimeUnixNano = startUnixNano + i,
            EndTimeUnixNano = startUnixNano + i + 1_000,
            Attributes = [new("payload", RandomText(payload))],
            Resource = Resource,
            Scope = Scope,
        }).ToList();
        var log = new LogRecord
        {
            TimeUnixNano = startUnixNano,
            ObservedTimeUnixNano = startUnixNano,
            TraceId = traceId,
            SpanId = records[0].SpanId,
            Body = "log of " + traceId,
            Resource = Resource,
            Scope = Scope,
        };
        return new TelemetryBatch(records, [log]);
    }

    private static string RandomText(int length) => string.Create(length, 0, (chars, _) =>
    {
        for (var i = 0; i < chars.Length; i++)
            chars[i] = (char)('a' + Random.Shared.Next(26));
    });

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }
}
