using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.Tests;

/// <summary>
/// The analysis store contract as tests: every backend derives from this class and supplies <see cref="OpenStoreAsync"/>.
/// </summary>
public abstract class AnalysisStoreConformanceTests : IAsyncLifetime
{
    private const long Minute = 60_000_000_000;
    private const long T0 = 1_790_000_040_000_000_000 - 1_790_000_040_000_000_000 % Minute;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-store-tests", Guid.NewGuid().ToString("n"));

    protected IAnalysisStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the backend on the given folder (reopening must find what was written before).</summary>
    protected abstract Task<IAnalysisStore> OpenStoreAsync(string dataDirectory);

    public async ValueTask InitializeAsync() => Store = await OpenStoreAsync(_dataDirectory);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    private static AnalyzedInvocationRow Row(UInt128 trace, ulong span, string function, long start, long durationMs = 10, FailureRow? failure = null,
        string? release = "v1", bool cold = false, decimal cost = 0.000001m) => new()
    {
        TraceId = trace,
        SpanId = span,
        Function = function,
        IsLambda = true,
        Version = release,
        Release = release,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + durationMs * 1_000_000,
        Failed = failure is not null,
        Failure = failure,
        ColdStart = cold,
        CostUsd = cost,
        GbSeconds = durationMs / 1000.0 * 0.125,
    };

    private static FailureRow Failure(string issue, string message = "boom") => new(issue, "Error", "TypeError", message, "at f (a.js)", message + " 42");

    private static UInt128 Trace(ulong n) => new(0xfeed_0000_0000_0000 | n, 0x8000_0000_0000_0000 | n);

    [Fact]
    public async Task A_row_is_read_back_exactly_with_its_nested_parts()
    {
        var row = Row(Trace(1), ulong.MaxValue - 1, "orders", T0, failure: Failure("a1b2c3d4e5f6")) with
        {
            CodeHash = "abc",
            Records = [new RecordDeliveryRow("sqs:msg:1", ["sqs:msg:1", "sns:msg:9"], "Failed"), new RecordDeliveryRow("sqs:msg:2", ["sqs:msg:2"], "Succeeded")],
            RecordOfSpan = [new SpanRecordKey(77, "sqs:msg:1")],
            SkippedRanges = [new SkippedRangeRow("orders", "shardId-0001", "49590338271490256608559692538361571095921575989136588898", "49590338271490256608559692538361571095921575989136588999")],
            DroppedKeys = ["lambda:req:1"],
            TriggerKind = "sqs",
            TriggerResource = "orders-queue",
            User = "ünïcode \"user\"",
            VipMarker = true,
            CostUsd = 0.000002083333333333333333m,
        };
        await Store.WriteAsync(new AnalysisDelta([row.TraceId], [row], 1), Ct);

        var read = Assert.Single(await Store.GetInvocationsAsync([new InvocationKey(row.TraceId, row.SpanId)], Ct));

        Assert.Equal(Normalize(row), Normalize(read));
        Assert.Equal(row.Records.Select(r => (r.Key, string.Join(",", r.Keys), r.Result)), read.Records.Select(r => (r.Key, string.Join(",", r.Keys), r.Result)));
        Assert.Equal(row.RecordOfSpan, read.RecordOfSpan);
        Assert.Equal(row.SkippedRanges, read.SkippedRanges);
        Assert.Equal(row.DroppedKeys, read.DroppedKeys);
        Assert.Equal(row.Failure, read.Failure);
    }

    private static AnalyzedInvocationRow Normalize(AnalyzedInvocationRow row) => row with { Records = [], RecordOfSpan = [], SkippedRanges = [], DroppedKeys = [] };

    [Fact]
    public async Task Re_deriving_a_trace_replaces_its_rows_and_their_index_entries_and_is_idempotent()
    {
        var keep = Row(Trace(2), 1, "orders", T0) with { Records = [new RecordDeliveryRow("sqs:msg:a", ["sqs:msg:a"], "Succeeded")] };
        var gone = Row(Trace(2), 2, "orders", T0 + 5) with
        {
            Records = [new RecordDeliveryRow("sqs:msg:b", ["sqs:msg:b"], "Failed")],
            SkippedRanges = [new SkippedRangeRow("s", "shard-1", "1", "9")],
        };
        var other = Row(Trace(3), 1, "orders", T0 + 10);
        await Store.WriteAsync(new AnalysisDelta([Trace(2)], [keep, gone], 1), Ct);
        await Store.WriteAsync(new AnalysisDelta([Trace(3)], [other], 2), Ct);

        var failedNow = keep with { Failed = true, Failure = Failure("000000000001") };
        var delta = new AnalysisDelta([Trace(2)], [failedNow], 3);
        await Store.WriteAsync(delta, Ct);
        await Store.WriteAsync(delta, Ct);

        Assert.Equal([(Trace(2), 1UL), (Trace(3), 1UL)], (await Store.ListByFunctionAsync("orders", TimeRange.All, 100, Ct)).Select(r => (r.TraceId, r.SpanId)));
        Assert.True((await Store.ListByFunctionAsync("orders", TimeRange.All, 100, Ct))[0].Failed);
        Assert.Single(await Store.ListByRecordKeyAsync("sqs:msg:a", 100, Ct));
        Assert.Empty(await Store.ListByRecordKeyAsync("sqs:msg:b", 100, Ct));
        Assert.Empty(await Store.ListBySkippedShardAsync("s/shard-1", 100, Ct));
        var minute = Assert.Single(await Store.ListFunctionMinutesAsync("orders", TimeRange.All, Ct));
        Assert.Equal((2L, 1L), (minute.Invocations, minute.Errors));
        Assert.Equal(3, await Store.GetWatermarkAsync(Ct));

        await Store.WriteAsync(new AnalysisDelta([Trace(3)], [], 4), Ct); // a trace with no invocation left is cleared
        Assert.Equal([(Trace(2), 1UL)], (await Store.ListByFunctionAsync("orders", TimeRange.All, 100, Ct)).Select(r => (r.TraceId, r.SpanId)));
    }

    [Fact]
    public async Task The_indexes_find_rows_by_function_issue_record_and_shard_within_range_and_limit()
    {
        var rows = new List<AnalyzedInvocationRow>();
        for (ulong i = 0; i < 6; i++)
        {
            rows.Add(Row(Trace(10 + i), 1, i % 2 == 0 ? "even" : "odd", T0 + (long)i * Minute, failure: i < 4 ? Failure(i % 2 == 0 ? "aaaaaaaaaaaa" : "bbbbbbbbbbbb") : null) with
            {
                Records = i == 3 ? [new RecordDeliveryRow("kinesis:rec:s/shard-1/5", ["kinesis:rec:s/shard-1/5"], "Failed")] : [],
                SkippedRanges = i == 5 ? [new SkippedRangeRow("s", "shard-1", "1", "9")] : [],
                DroppedKeys = i == 4 ? ["kinesis:rec:s/shard-1/5"] : [],
            });
        }
        await Store.WriteAsync(new AnalysisDelta([.. rows.Select(r => r.TraceId)], rows, 7), Ct);

        Assert.Equal([T0, T0 + 2 * Minute], (await Store.ListByFunctionAsync("even", new TimeRange(T0, T0 + 4 * Minute), 100, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Equal([T0], (await Store.ListByFunctionAsync("even", TimeRange.All, 1, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Equal([T0 + 3 * Minute], (await Store.ListLatestByFunctionAsync("odd", TimeRange.All, failedOnly: true, 1, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Equal([T0 + Minute, T0 + 3 * Minute], (await Store.ListByIssueAsync("bbbbbbbbbbbb", TimeRange.All, 100, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Equal([T0 + 3 * Minute, T0 + 4 * Minute], (await Store.ListByRecordKeyAsync("kinesis:rec:s/shard-1/5", 100, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Equal([T0 + 5 * Minute], (await Store.ListBySkippedShardAsync("s/shard-1", 100, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Equal(["even", "odd"], await Store.ListFunctionsAsync(TimeRange.All, Ct));
        Assert.Equal(["odd"], await Store.ListFunctionsAsync(new TimeRange(T0 + 5 * Minute, T0 + 6 * Minute), Ct));

        var issues = await Store.ListIssuesAsync(new TimeRange(T0, T0 + 3 * Minute), null, 100, Ct);
        Assert.Equal([("aaaaaaaaaaaa", 2L, T0, T0 + 2 * Minute), ("bbbbbbbbbbbb", 1L, T0 + Minute, T0 + Minute)],
            issues.Select(i => (i.IssueId, i.Count, i.FirstStartUnixNano, i.LastStartUnixNano)));
        Assert.Equal(["bbbbbbbbbbbb"], (await Store.ListIssuesAsync(TimeRange.All, "odd", 100, Ct)).Select(i => i.IssueId));
        Assert.Single(await Store.ListIssuesAsync(TimeRange.All, null, 1, Ct));
        var spans = await Store.GetIssueSpansAsync(["bbbbbbbbbbbb", "cccccccccccc"], Ct);
        Assert.Equal((T0 + Minute, T0 + 3 * Minute, 2L), (spans["bbbbbbbbbbbb"].FirstStartUnixNano, spans["bbbbbbbbbbbb"].LastStartUnixNano, spans["bbbbbbbbbbbb"].Count));
        Assert.False(spans.ContainsKey("cccccccccccc"));
        Assert.Equal(T0 + 3 * Minute, await Store.GetFirstOccurrenceAfterAsync("bbbbbbbbbbbb", T0 + Minute, Ct));
        Assert.Null(await Store.GetFirstOccurrenceAfterAsync("bbbbbbbbbbbb", T0 + 3 * Minute, Ct));
    }

    [Fact]
    public async Task Function_minutes_and_figures_sum_the_invocations_per_function_release_and_minute()
    {
        var rows = new List<AnalyzedInvocationRow>();
        for (ulong i = 0; i < 20; i++)
        {
            rows.Add(Row(Trace(100 + i), 1, "api", T0 + (long)(i % 2) * Minute + (long)i, durationMs: 10 * (long)(i + 1), release: i < 10 ? "v1" : "v2",
                failure: i % 5 == 0 ? Failure("dddddddddddd") : null, cold: i == 0, cost: 0.25m));
        }
        await Store.WriteAsync(new AnalysisDelta([.. rows.Select(r => r.TraceId)], rows, 1), Ct);

        var minutes = await Store.ListFunctionMinutesAsync("api", TimeRange.All, Ct);
        Assert.Equal(4, minutes.Count); // 2 minutes × 2 releases
        Assert.Equal(20, minutes.Sum(m => m.Invocations));
        Assert.Equal(4, minutes.Sum(m => m.Errors));
        Assert.Equal(1, minutes.Sum(m => m.ColdStarts));
        Assert.Equal(5m, minutes.Sum(m => m.CostUsd));
        Assert.Equal(20, minutes.Sum(m => m.DurationBuckets.Values.Sum()));
        Assert.Equal(T0, minutes.Where(m => m.Release == "v1").Min(m => m.FirstStartUnixNano));
        var histogram = new Dictionary<int, long>();
        foreach (var minute in minutes)
            DurationHistogram.Add(histogram, minute.DurationBuckets);
        Assert.InRange(DurationHistogram.Percentile(histogram, 95), 190, 190 * DurationHistogram.Gamma);

        var figures = Assert.Single(await Store.GetFunctionFiguresAsync(null, TimeRange.All, Ct));
        Assert.Equal(("api", 20L, 4L, 1L, 5m, 100.0, 190.0, 200.0), (figures.Function, figures.Invocations, figures.Errors, figures.ColdStarts, figures.CostUsd,
            figures.P50Ms, figures.P95Ms, figures.P99Ms));
        Assert.Empty(await Store.GetFunctionFiguresAsync("other", TimeRange.All, Ct));
    }

    [Fact]
    public async Task Release_runs_follow_each_functions_invocations_in_start_order_and_first_starts_come_from_the_minutes()
    {
        string?[] releases = ["v1", "v1", null, "v2", "v1", "v2", "v2", "v2"];
        var rows = releases.Select((release, i) => Row(Trace(400 + (ulong)i), 1, "api", T0 + i * Minute, release: release)).ToList();
        rows.Add(Row(Trace(500), 1, "web", T0 + 3 * Minute, release: "w1"));
        await Store.WriteAsync(new AnalysisDelta([.. rows.Select(r => r.TraceId)], rows, 1), Ct);

        var runs = await Store.ListReleaseRunsAsync(null, TimeRange.All, Ct);

        // The invocation without a release is left out, so the two v1 around it are one run.
        Assert.Equal([("api", "v1", T0, 2L), ("api", "v2", T0 + 3 * Minute, 1L), ("api", "v1", T0 + 4 * Minute, 1L), ("api", "v2", T0 + 5 * Minute, 3L),
            ("web", "w1", T0 + 3 * Minute, 1L)], runs.Select(r => (r.Function, r.Release, r.FirstStartUnixNano, r.Invocations)));
        Assert.Equal([("api", "v2", T0 + 5 * Minute, 2L)],
            (await Store.ListReleaseRunsAsync("api", new TimeRange(T0 + 5 * Minute, T0 + 7 * Minute), Ct)).Select(r => (r.Function, r.Release, r.FirstStartUnixNano, r.Invocations)));
        Assert.Equal(new Dictionary<string, long> { ["api"] = T0, ["web"] = T0 + 3 * Minute }, await Store.GetFunctionFirstStartsAsync(null, Ct));
        Assert.Equal(["web"], (await Store.GetFunctionFirstStartsAsync(["web", "none"], Ct)).Keys);
    }

    [Fact]
    public async Task Resolutions_and_recorded_deployments_are_kept_as_told_and_a_second_record_moves_the_time()
    {
        await Store.SetResolutionAsync("aaaaaaaaaaaa", T0, Ct);
        await Store.SetResolutionAsync("bbbbbbbbbbbb", T0 + 1, Ct);
        await Store.SetResolutionAsync("aaaaaaaaaaaa", T0 + 2, Ct);
        await Store.RecordDeploymentAsync(new RecordedDeployment("api", "v2", T0 + Minute), Ct);
        await Store.RecordDeploymentAsync(new RecordedDeployment("api", "v1", T0), Ct);
        await Store.RecordDeploymentAsync(new RecordedDeployment("api", "v2", T0 + 2 * Minute), Ct);
        await Store.DeleteStartedBeforeAsync(long.MaxValue, Ct); // retention keeps what was told
        await Store.DisposeAsync();
        Store = await OpenStoreAsync(_dataDirectory);

        Assert.Equal(new Dictionary<string, long> { ["aaaaaaaaaaaa"] = T0 + 2, ["bbbbbbbbbbbb"] = T0 + 1 }, await Store.GetResolutionsAsync(Ct));
        Assert.Equal([new RecordedDeployment("api", "v1", T0), new RecordedDeployment("api", "v2", T0 + 2 * Minute)], await Store.ListRecordedDeploymentsAsync(Ct));
    }

    [Fact]
    public async Task The_watermark_is_never_lowered()
    {
        Assert.Equal(0, await Store.GetWatermarkAsync(Ct));
        await Store.WriteAsync(new AnalysisDelta([], [], 5), Ct);
        await Store.WriteAsync(new AnalysisDelta([], [], 3), Ct);
        Assert.Equal(5, await Store.GetWatermarkAsync(Ct));
    }

    [Fact]
    public async Task Deleting_before_a_cutoff_drops_older_invocations_their_index_entries_and_minutes()
    {
        var old = Row(Trace(200), 1, "api", T0, failure: Failure("eeeeeeeeeeee")) with { DroppedKeys = ["k"] };
        var sameMinute = Row(Trace(201), 1, "api", T0 + 30_000_000_000);
        var young = Row(Trace(202), 1, "api", T0 + 2 * Minute);
        await Store.WriteAsync(new AnalysisDelta([old.TraceId, sameMinute.TraceId, young.TraceId], [old, sameMinute, young], 1), Ct);

        Assert.Equal(1, await Store.DeleteStartedBeforeAsync(T0 + 1, Ct));

        Assert.Equal([sameMinute.StartTimeUnixNano, young.StartTimeUnixNano], (await Store.ListByFunctionAsync("api", TimeRange.All, 10, Ct)).Select(r => r.StartTimeUnixNano));
        Assert.Empty(await Store.ListByRecordKeyAsync("k", 10, Ct));
        Assert.Empty(await Store.ListIssuesAsync(TimeRange.All, null, 10, Ct));
        Assert.Equal([(T0, 1L), (T0 + 2 * Minute, 1L)], (await Store.ListFunctionMinutesAsync("api", TimeRange.All, Ct)).Select(m => (m.MinuteUnixNano, m.Invocations)));
    }

    [Fact]
    public async Task What_was_written_is_there_after_reopening()
    {
        var row = Row(Trace(300), 1, "api", T0);
        await Store.WriteAsync(new AnalysisDelta([row.TraceId], [row], 9), Ct);
        await Store.DisposeAsync();
        Store = await OpenStoreAsync(_dataDirectory);

        Assert.Equal(9, await Store.GetWatermarkAsync(Ct));
        Assert.Single(await Store.ListByFunctionAsync("api", TimeRange.All, 10, Ct));
        Assert.Single(await Store.ListFunctionMinutesAsync(null, TimeRange.All, Ct));
    }
}
