using Threadline.Telemetry;

namespace Threadline.Storage.Tests;

/// <summary>
/// The storage contract as tests: every backend derives from this class and supplies
/// <see cref="OpenStoreAsync"/>; docs/storage-contract.md states the same rules in prose.
/// </summary>
public abstract class TelemetryStoreConformanceTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));

    protected string DataDirectory => _dataDirectory;

    protected ITelemetryStore Store { get; set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the backend on the given folder (reopening must find what was written before).</summary>
    protected abstract Task<ITelemetryStore> OpenStoreAsync(string dataDirectory);

    /// <summary>
    /// Makes the store's writes fail part-way until the returned handle is disposed: a write holding log records must
    /// throw after its spans were handed to the backend (so atomicity is what keeps them out).
    /// </summary>
    protected abstract Task<IAsyncDisposable> BreakLogWritesAsync(string dataDirectory);

    public async ValueTask InitializeAsync() => Store = await OpenStoreAsync(_dataDirectory);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_span_comes_back_with_every_field_and_value_type()
    {
        var traceId = Records.NewTraceId();
        var linkedTrace = Records.NewTraceId();
        var span = new SpanRecord
        {
            TraceId = traceId,
            SpanId = ulong.MaxValue - 1,
            ParentSpanId = 42,
            TraceState = "vendor=a",
            Flags = 257,
            Name = "send-email",
            Kind = SpanKind.Consumer,
            StartTimeUnixNano = 1_790_000_000_123_456_789,
            EndTimeUnixNano = 1_790_000_001_000_000_001,
            StatusCode = StatusCode.Error,
            StatusMessage = "Twilio 400",
            Attributes =
            [
                new("s", "text"), new("b", true), new("i", -7L), new("d", 2.0), new("nan", double.NaN),
                new("bytes", new byte[] { 0, 1, 255 }), new("array", new object?[] { "a", 1L, 0.5, false }),
                new("map", new KeyValue[] { new("inner", "v"), new("deeper", new KeyValue[] { new("x", 3L) }) }),
                new("empty", null), new("quote\"key", "line\nbreak"),
            ],
            Events = [new SpanEvent("exception", 1_790_000_000_500_000_000, [new("exception.type", "TwilioException")], 1)],
            Links = [new SpanLink(linkedTrace, 77, "k=v", [new("messaging.message.id", "m-1")], 1, 3)],
            DroppedAttributesCount = 4,
            DroppedEventsCount = 5,
            DroppedLinksCount = 6,
            Resource = Records.Checkout,
            Scope = Records.Scope,
        };

        await Store.WriteAsync([new TelemetryBatch([span], [])], Ct);
        var stored = Assert.Single(await Store.GetTraceAsync(traceId, Ct));

        Assert.Equal(span.TraceId, stored.TraceId);
        Assert.Equal(span.SpanId, stored.SpanId);
        Assert.Equal(span.ParentSpanId, stored.ParentSpanId);
        Assert.Equal(span.TraceState, stored.TraceState);
        Assert.Equal(span.Flags, stored.Flags);
        Assert.Equal(span.Name, stored.Name);
        Assert.Equal(span.Kind, stored.Kind);
        Assert.Equal(span.StartTimeUnixNano, stored.StartTimeUnixNano);
        Assert.Equal(span.EndTimeUnixNano, stored.EndTimeUnixNano);
        Assert.Equal(span.StatusCode, stored.StatusCode);
        Assert.Equal(span.StatusMessage, stored.StatusMessage);
        AssertAttributes(span.Attributes, stored.Attributes);
        var storedEvent = Assert.Single(stored.Events);
        Assert.Equal(("exception", 1_790_000_000_500_000_000L, 1u), (storedEvent.Name, storedEvent.TimeUnixNano, storedEvent.DroppedAttributesCount));
        AssertAttributes(span.Events[0].Attributes, storedEvent.Attributes);
        var storedLink = Assert.Single(stored.Links);
        Assert.Equal((linkedTrace, 77UL, "k=v", 1u, 3u), (storedLink.TraceId, storedLink.SpanId, storedLink.TraceState, storedLink.Flags, storedLink.DroppedAttributesCount));
        AssertAttributes(span.Links[0].Attributes, storedLink.Attributes);
        Assert.Equal((4u, 5u, 6u), (stored.DroppedAttributesCount, stored.DroppedEventsCount, stored.DroppedLinksCount));
        Assert.Equal(Records.Checkout.Id, stored.Resource.Id);
        Assert.Equal("checkout", stored.Service);
        AssertAttributes(Records.Checkout.Attributes, stored.Resource.Attributes);
        Assert.Equal(Records.Checkout.SchemaUrl, stored.Resource.SchemaUrl);
        Assert.Equal(("threadline.tracer", "0.1.0"), (stored.Scope.Name, stored.Scope.Version));
        AssertAttributes(Records.Scope.Attributes, stored.Scope.Attributes);
    }

    [Fact]
    public async Task A_trace_is_ordered_by_start_and_holds_only_its_own_spans()
    {
        var traceId = Records.NewTraceId();
        var other = Records.NewTraceId();
        var late = Records.Span(traceId, "late", 3_000);
        var early = Records.Span(traceId, "early", 1_000, Records.Notify);
        await Store.WriteAsync([new TelemetryBatch([late, Records.Span(other, "other", 2_000)], []), new TelemetryBatch([early], [])], Ct);

        var trace = await Store.GetTraceAsync(traceId, Ct);

        Assert.Equal(["early", "late"], trace.Select(s => s.Name));
        Assert.Equal(["notify", "checkout"], trace.Select(s => s.Service));
        Assert.Empty(await Store.GetTraceAsync(Records.NewTraceId(), Ct));
    }

    [Fact]
    public async Task A_trace_written_over_writes_days_apart_comes_back_whole()
    {
        const long hour = 3_600_000_000_000;
        var traceId = Records.NewTraceId();
        var first = Records.Span(traceId, "producer", 1 * hour);
        var others = Enumerable.Range(0, 200).Select(i => Records.Span(Records.NewTraceId(), "other", 2 * hour + i)).ToList();
        var late = Records.Span(traceId, "consumer", 50 * hour);
        var earlier = Records.Span(traceId, "upstream", hour / 2);

        await Store.WriteAsync([new TelemetryBatch([first], [])], Ct);
        await Store.WriteAsync([new TelemetryBatch(others, [])], Ct);
        await Store.WriteAsync([new TelemetryBatch([late], [])], Ct);
        await Store.WriteAsync([new TelemetryBatch([earlier, Records.Span(Records.NewTraceId(), "other", 60 * hour)], [])], Ct);

        var trace = await Store.GetTraceAsync(traceId, Ct);

        Assert.Equal(["upstream", "producer", "consumer"], trace.Select(s => s.Name));
    }

    [Fact]
    public async Task A_span_written_twice_is_returned_once()
    {
        var span = Records.Span(Records.NewTraceId(), "retried", 1_000);

        await Store.WriteAsync([new TelemetryBatch([span], [])], Ct);
        await Store.WriteAsync([new TelemetryBatch([span], [])], Ct);

        Assert.Single(await Store.GetTraceAsync(span.TraceId, Ct));
    }

    [Fact]
    public async Task Time_range_queries_are_half_open_newest_first_and_limited()
    {
        var traceId = Records.NewTraceId();
        var spans = Enumerable.Range(0, 10).Select(i => Records.Span(traceId, $"s{i}", 5_000_000 + i * 10, i % 2 == 0 ? Records.Checkout : Records.Notify)).ToList();
        await Store.WriteAsync([new TelemetryBatch(spans, [])], Ct);

        var inRange = await Store.FindSpansAsync(new SpanQuery(5_000_020, 5_000_070), Ct);
        Assert.Equal(["s6", "s5", "s4", "s3", "s2"], inRange.Select(s => s.Name));

        var limited = await Store.FindSpansAsync(new SpanQuery(5_000_000, 5_000_100, Limit: 3), Ct);
        Assert.Equal(["s9", "s8", "s7"], limited.Select(s => s.Name));

        var byService = await Store.FindSpansAsync(new SpanQuery(5_000_000, 5_000_100, Service: "notify"), Ct);
        Assert.Equal(["s9", "s7", "s5", "s3", "s1"], byService.Select(s => s.Name));
    }

    [Fact]
    public async Task Logs_come_back_by_trace_and_span_with_their_body_type()
    {
        var traceId = Records.NewTraceId();
        var span = Records.Span(traceId, "notify", 1_000, Records.Notify);
        var text = Records.Log(traceId, span.SpanId, 2_000, "template not found");
        var structured = Records.Log(traceId, 99, 1_500, new KeyValue[] { new("to", "u-42"), new("attempt", 2L) });
        var unrelated = Records.Log(Records.NewTraceId(), 5, 1_700, "other");
        await Store.WriteAsync([new TelemetryBatch([span], [text, structured, unrelated])], Ct);

        var logs = await Store.FindLogsAsync(new LogQuery { TraceId = traceId }, Ct);

        Assert.Equal([1_500L, 2_000L], logs.Select(l => l.TimeUnixNano));
        AssertAttributes((KeyValue[])structured.Body!, (IReadOnlyList<KeyValue>)logs[0].Body!);
        Assert.Equal("template not found", logs[1].Body);
        Assert.Equal((2_005L, span.SpanId, (byte)17, "Error", "notify"), (logs[1].ObservedTimeUnixNano, logs[1].SpanId, logs[1].SeverityNumber, logs[1].SeverityText, logs[1].Resource.Service));
        Assert.Equal(2u, logs[1].Resource.DroppedAttributesCount);
        var bySpan = await Store.FindLogsAsync(new LogQuery { TraceId = traceId, SpanId = span.SpanId }, Ct);
        Assert.Equal("template not found", Assert.Single(bySpan).Body);
    }

    [Fact]
    public async Task Logs_of_several_traces_come_back_in_one_query_within_its_time_range()
    {
        var (first, second, other) = (Records.NewTraceId(), Records.NewTraceId(), Records.NewTraceId());
        // The second shares the first's low half, so a backend comparing only part of the id would return too much.
        var twin = new UInt128((ulong)(first >> 64) ^ 1, (ulong)first);
        await Store.WriteAsync([new TelemetryBatch([],
        [
            Records.Log(first, 1, 1_000, "a"), Records.Log(second, 2, 1_100, "b"), Records.Log(other, 3, 1_050, "c"),
            Records.Log(twin, 4, 1_060, "d"), Records.Log(first, 1, 5_000, "late"),
        ])], Ct);

        var logs = await Store.FindLogsAsync(new LogQuery { TraceIds = [first, second], FromUnixNano = 900, ToUnixNano = 2_000 }, Ct);

        Assert.Equal(["a", "b"], logs.Select(l => (string?)l.Body));
        Assert.Empty(await Store.FindLogsAsync(new LogQuery { TraceIds = [] }, Ct));
        Assert.Equal(["a", "late"], (await Store.FindLogsAsync(new LogQuery { TraceIds = [first, first] }, Ct)).Select(l => (string?)l.Body));
    }

    [Fact]
    public async Task A_log_without_trace_context_is_found_by_time()
    {
        var log = Records.Log(UInt128.Zero, 0, 9_000_000, "cold start");
        await Store.WriteAsync([new TelemetryBatch([], [log])], Ct);

        var found = await Store.FindLogsAsync(new LogQuery { FromUnixNano = 8_999_999, ToUnixNano = 9_000_001 }, Ct);

        var stored = Assert.Single(found);
        Assert.Equal((UInt128.Zero, 0UL, "cold start"), (stored.TraceId, stored.SpanId, (string?)stored.Body));
    }

    [Fact]
    public async Task Trace_ids_keep_all_128_bits_in_spans_links_and_logs()
    {
        // Top bits set in both halves (negative as signed numbers), and two ids that share their low half.
        var high = new UInt128(0xFEDC_BA98_7654_3210, 0x8000_0000_0000_0001);
        var sameLow = new UInt128(0x0000_0000_0000_0001, 0x8000_0000_0000_0001);
        var span = Records.Span(high, "high", 1_000, links: [new SpanLink(sameLow, 7, null, [], 0, 0)]);
        var twin = Records.Span(sameLow, "twin", 1_001);
        await Store.WriteAsync([new TelemetryBatch([span, twin], [Records.Log(high, span.SpanId, 1_100, "h"), Records.Log(sameLow, twin.SpanId, 1_100, "t")])], Ct);

        var stored = Assert.Single(await Store.GetTraceAsync(high, Ct));
        Assert.Equal((high, sameLow), (stored.TraceId, Assert.Single(stored.Links).TraceId));
        Assert.Equal(["twin"], (await Store.GetTraceAsync(sameLow, Ct)).Select(s => s.Name));
        var log = Assert.Single(await Store.FindLogsAsync(new LogQuery { TraceId = high }, Ct));
        Assert.Equal((high, "h"), (log.TraceId, (string?)log.Body));
        var traces = await Store.GetTracesAsync([high], Ct);
        Assert.Equal(["high"], Assert.Single(traces).Value.Select(s => s.Name));
        Assert.Equal(high, Assert.Single(traces).Key);
    }

    [Fact]
    public async Task A_scan_pages_through_every_stored_span()
    {
        var traceId = Records.NewTraceId();
        var spans = Enumerable.Range(0, 25).Select(i => Records.Span(traceId, $"scan{i}", i)).ToList();
        await Store.WriteAsync([new TelemetryBatch(spans[..10], []), new TelemetryBatch(spans[10..], [])], Ct);

        var pages = new List<IReadOnlyList<SpanRecord>>();
        await foreach (var page in Store.ScanSpansAsync(7, Ct))
            pages.Add(page);

        Assert.All(pages, page => Assert.InRange(page.Count, 1, 7));
        var scanned = pages.SelectMany(p => p).Where(s => s.TraceId == traceId).Select(s => s.Name).Order().ToList();
        Assert.Equal(spans.Select(s => s.Name).Order(), scanned);
    }

    [Fact]
    public async Task Statistics_count_what_was_written()
    {
        var before = await Store.GetStatisticsAsync(Ct);
        var traceId = Records.NewTraceId();
        await Store.WriteAsync([new TelemetryBatch([Records.Span(traceId, "a", 1), Records.Span(traceId, "b", 2)], [Records.Log(traceId, 1, 1, "x")])], Ct);

        var after = await Store.GetStatisticsAsync(Ct);

        Assert.Equal(before.SpanCount + 2, after.SpanCount);
        Assert.Equal(before.LogCount + 1, after.LogCount);
        Assert.True(after.BytesOnDisk > 0);
    }

    [Fact]
    public async Task What_was_written_is_there_after_reopening()
    {
        var span = Records.Span(Records.NewTraceId(), "durable", 1_000, Records.Notify);
        await Store.WriteAsync([new TelemetryBatch([span], [Records.Log(span.TraceId, span.SpanId, 1_100, "kept")])], Ct);

        await Store.DisposeAsync();
        Store = await OpenStoreAsync(_dataDirectory);

        var stored = Assert.Single(await Store.GetTraceAsync(span.TraceId, Ct));
        Assert.Equal(("durable", "notify"), (stored.Name, stored.Service));
        AssertAttributes(Records.Notify.Attributes, stored.Resource.Attributes);
        Assert.Equal("kept", Assert.Single(await Store.FindLogsAsync(new LogQuery { TraceId = span.TraceId }, Ct)).Body);
    }

    [Fact]
    public async Task Concurrent_readers_see_every_completed_write()
    {
        var traceId = Records.NewTraceId();
        var writes = Enumerable.Range(0, 20).Select(i => Store.WriteAsync([new TelemetryBatch([Records.Span(traceId, $"w{i}", i)], [])], Ct));
        var reads = Enumerable.Range(0, 20).Select(_ => Store.GetTraceAsync(traceId, Ct));

        await Task.WhenAll(writes.Concat<Task>(reads));

        Assert.Equal(20, (await Store.GetTraceAsync(traceId, Ct)).Count);
    }

    [Fact]
    public async Task Commit_sequences_strictly_increase_and_continue_after_reopening()
    {
        Assert.Equal(0, Store.LastCommitSequence);
        var traceId = Records.NewTraceId();
        var seen = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await Store.WriteAsync([new TelemetryBatch([Records.Span(traceId, $"w{i}", i)], [])], Ct);
            seen.Add(Store.LastCommitSequence);
        }
        await Store.WriteAsync([new TelemetryBatch([], [Records.Log(traceId, 1, 5, "only a log")])], Ct);
        seen.Add(Store.LastCommitSequence);
        await Store.WriteAsync([new TelemetryBatch([], [])], Ct);
        Assert.Equal(seen[^1], Store.LastCommitSequence);

        await Store.DisposeAsync();
        Store = await OpenStoreAsync(_dataDirectory);
        Assert.Equal(seen[^1], Store.LastCommitSequence);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(traceId, "after reopen", 9)], [])], Ct);
        seen.Add(Store.LastCommitSequence);

        Assert.True(seen[0] > 0);
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second} follows {pair.First}"));
    }

    [Fact]
    public async Task A_failed_write_takes_no_sequence_and_none_of_its_spans_is_visible()
    {
        var kept = Records.Span(Records.NewTraceId(), "kept", 1_000);
        await Store.WriteAsync([new TelemetryBatch([kept], [])], Ct);
        var before = Store.LastCommitSequence;
        var lost = Records.Span(Records.NewTraceId(), "lost", 2_000);

        await using (await BreakLogWritesAsync(_dataDirectory))
        {
            await Assert.ThrowsAnyAsync<Exception>(() =>
                Store.WriteAsync([new TelemetryBatch([lost], [Records.Log(lost.TraceId, lost.SpanId, 2_000, "x")])], Ct));
        }

        Assert.Equal(before, Store.LastCommitSequence);
        Assert.Empty(await Store.GetTraceAsync(lost.TraceId, Ct));
        Assert.Equal(["kept"], (await ScanCommittedAfterAsync(0, 10)).Select(s => s.Name));
        Assert.Empty(await ScanLogsCommittedAfterAsync(0, 10));
        var next = Records.Span(Records.NewTraceId(), "next", 3_000);
        await Store.WriteAsync([new TelemetryBatch([next], [])], Ct);
        Assert.True(Store.LastCommitSequence > before);
        Assert.Equal(["next"], (await ScanCommittedAfterAsync(before, 10)).Select(s => s.Name));
    }

    [Fact]
    public async Task A_scan_after_a_sequence_returns_exactly_the_later_commits_in_commit_order()
    {
        var traceId = Records.NewTraceId();
        var sizes = new[] { 3, 1, 4, 2, 5 };
        var commits = new List<(long Sequence, List<string> Names)>();
        var retried = Records.Span(traceId, "retried", 1);
        for (var c = 0; c < sizes.Length; c++)
        {
            // Later commits start earlier, so commit order is not start order.
            var spans = Enumerable.Range(0, sizes[c]).Select(i => Records.Span(traceId, $"c{c}s{i}", 1_000_000 - c * 1_000 + i)).ToList();
            if (c is 1 or 3)
                spans.Add(retried);
            // Two batches in one write are one commit.
            await Store.WriteAsync([new TelemetryBatch(spans[..1], []), new TelemetryBatch(spans[1..], [])], Ct);
            commits.Add((Store.LastCommitSequence, spans.Select(s => s.Name).ToList()));
        }

        var pages = new List<IReadOnlyList<SpanRecord>>();
        await foreach (var page in Store.ScanSpansCommittedAfterAsync(commits[1].Sequence, 2, Ct))
            pages.Add(page);

        Assert.All(pages, page => Assert.InRange(page.Count, 1, 2));
        var scanned = pages.SelectMany(p => p).Select(s => s.Name).ToList();
        var expected = commits.Skip(2).ToList();
        Assert.Equal(expected.Sum(c => c.Names.Count), scanned.Count);
        var offset = 0;
        foreach (var (_, names) in expected)
        {
            Assert.Equal(names.Order(), scanned.Skip(offset).Take(names.Count).Order());
            offset += names.Count;
        }
        Assert.Equal(sizes.Sum() + 2, (await ScanCommittedAfterAsync(0, 3)).Count);
        Assert.Empty(await ScanCommittedAfterAsync(commits[^1].Sequence, 3));
    }

    [Fact]
    public async Task A_log_scan_after_a_sequence_returns_exactly_the_logs_of_the_later_commits_in_commit_order()
    {
        var traceId = Records.NewTraceId();
        var spanId = Records.NewSpanId();
        // Spans with logs, spans only, logs only (OpenTelemetry SDKs export logs in requests of their own), then again;
        // each write's logs come in two batches (still one commit).
        var writes = new (int Spans, int Logs)[] { (1, 2), (2, 0), (0, 3), (0, 4), (1, 1), (1, 0) };
        var commits = new List<(long Sequence, List<string> Bodies)>();
        for (var c = 0; c < writes.Length; c++)
        {
            var spans = Enumerable.Range(0, writes[c].Spans).Select(i => Records.Span(traceId, $"c{c}s{i}", 2_000_000 + i)).ToList();
            // Later commits' logs are older, so commit order is not time order.
            var logs = Enumerable.Range(0, writes[c].Logs).Select(i => Records.Log(traceId, spanId, 900_000 - c * 1_000 + i, $"c{c}l{i}")).ToList();
            var half = logs.Count / 2;
            await Store.WriteAsync([new TelemetryBatch(spans, logs[..half]), new TelemetryBatch([], logs[half..])], Ct);
            commits.Add((Store.LastCommitSequence, logs.Select(l => (string)l.Body!).ToList()));
        }

        var pages = new List<IReadOnlyList<LogRecord>>();
        await foreach (var page in Store.ScanLogsCommittedAfterAsync(commits[0].Sequence, 2, Ct))
            pages.Add(page);

        Assert.All(pages, page => Assert.InRange(page.Count, 1, 2));
        var scanned = pages.SelectMany(p => p).Select(l => (string)l.Body!).ToList();
        var expected = commits.Skip(1).ToList();
        Assert.Equal(expected.Sum(c => c.Bodies.Count), scanned.Count);
        var offset = 0;
        foreach (var (_, bodies) in expected)
        {
            Assert.Equal(bodies.Order(), scanned.Skip(offset).Take(bodies.Count).Order());
            offset += bodies.Count;
        }
        // After a commit of spans only, the first logs are those of the next commit, which holds logs only.
        var afterSpansOnly = await ScanLogsCommittedAfterAsync(commits[1].Sequence, 3);
        Assert.Equal(["c2l0", "c2l1", "c2l2"], afterSpansOnly.Take(3).Select(l => (string)l.Body!).Order());
        var logOnly = Assert.Single(afterSpansOnly, l => (string)l.Body! == "c2l1");
        Assert.Equal((traceId, spanId, 898_001L), (logOnly.TraceId, logOnly.SpanId, logOnly.TimeUnixNano));
        Assert.Equal(writes.Sum(w => w.Logs), (await ScanLogsCommittedAfterAsync(0, 3)).Count);
        Assert.Empty(await ScanLogsCommittedAfterAsync(commits[^2].Sequence, 3));
        Assert.Empty(await ScanLogsCommittedAfterAsync(commits[^1].Sequence, 3));
    }

    [Fact]
    public async Task Many_traces_at_once_equal_each_trace_by_id_and_leave_out_unknown_ones()
    {
        const long hour = 3_600_000_000_000;
        var spread = Records.NewTraceId();
        var small = Records.NewTraceId();
        var retriedTrace = Records.NewTraceId();
        var retried = Records.Span(retriedTrace, "retried", 5 * hour);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(spread, "producer", hour), Records.Span(small, "only", 2 * hour), retried], [])], Ct);
        await Store.WriteAsync([new TelemetryBatch(Enumerable.Range(0, 50).Select(i => Records.Span(Records.NewTraceId(), "other", 3 * hour + i)).ToList(), [])], Ct);
        await Store.WriteAsync([new TelemetryBatch([Records.Span(spread, "consumer", 40 * hour), retried, Records.Span(retriedTrace, "child", 5 * hour + 1)], [])], Ct);
        var unknown = Records.NewTraceId();

        var traces = await Store.GetTracesAsync([spread, small, retriedTrace, unknown, spread], Ct);

        Assert.Equal(new[] { spread, small, retriedTrace }.Order(), traces.Keys.Order());
        foreach (var traceId in new[] { spread, small, retriedTrace })
        {
            var one = await Store.GetTraceAsync(traceId, Ct);
            Assert.Equal(one.Select(s => (s.SpanId, s.Name, s.StartTimeUnixNano)), traces[traceId].Select(s => (s.SpanId, s.Name, s.StartTimeUnixNano)));
        }
        Assert.Equal(["retried", "child"], traces[retriedTrace].Select(s => s.Name));
        // Traces whose times do not overlap (other traces' spans between them): each is read whole.
        var apart = await Store.GetTracesAsync([retriedTrace, small], Ct);
        Assert.Equal(["only"], apart[small].Select(s => s.Name));
        Assert.Equal(["retried", "child"], apart[retriedTrace].Select(s => s.Name));
        Assert.Empty(await Store.GetTracesAsync([], Ct));
        Assert.Empty(await Store.GetTracesAsync([unknown], Ct));
    }

    protected async Task<List<SpanRecord>> ScanCommittedAfterAsync(long sequence, int pageSize)
    {
        var spans = new List<SpanRecord>();
        await foreach (var page in Store.ScanSpansCommittedAfterAsync(sequence, pageSize, Ct))
            spans.AddRange(page);
        return spans;
    }

    protected async Task<List<LogRecord>> ScanLogsCommittedAfterAsync(long sequence, int pageSize)
    {
        var logs = new List<LogRecord>();
        await foreach (var page in Store.ScanLogsCommittedAfterAsync(sequence, pageSize, Ct))
            logs.AddRange(page);
        return logs;
    }

    private static void AssertAttributes(IReadOnlyList<KeyValue> expected, IReadOnlyList<KeyValue> actual)
    {
        Assert.Equal(expected.Select(a => a.Key), actual.Select(a => a.Key));
        for (var i = 0; i < expected.Count; i++)
            AssertValue(expected[i].Value, actual[i].Value);
    }

    private static void AssertValue(object? expected, object? actual)
    {
        switch (expected)
        {
            case IReadOnlyList<KeyValue> map:
                AssertAttributes(map, Assert.IsAssignableFrom<IReadOnlyList<KeyValue>>(actual));
                break;
            case IReadOnlyList<object?> array:
                var actualArray = Assert.IsAssignableFrom<IReadOnlyList<object?>>(actual);
                Assert.Equal(array.Count, actualArray.Count);
                for (var i = 0; i < array.Count; i++)
                    AssertValue(array[i], actualArray[i]);
                break;
            case null:
                Assert.Null(actual);
                break;
            default:
                Assert.Equal(expected.GetType(), actual?.GetType());
                Assert.Equal(expected, actual);
                break;
        }
    }
}
