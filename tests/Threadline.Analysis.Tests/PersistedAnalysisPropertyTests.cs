using System.Text.Json;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Cost;
using Threadline.Analysis.Functions;
using Threadline.Analysis.Ingest;
using Threadline.Analysis.Issues;
using Threadline.Ingest.Normalize;
using Threadline.Stitching;
using Threadline.Storage.Derived.Analysis;
using Threadline.Storage.DuckDb;
using Threadline.Storage.DuckDb.Derived.Analysis;
using Threadline.Telemetry;

namespace Threadline.Analysis.Tests;

/// <summary>
/// The analysis kept in the store answers as the in-memory reference does: random invocations (failures that group
/// into issues, cold starts, users, queue producers and consumers), their spans shuffled across random batches with
/// duplicates, derived with a details cache of 0, 1 or unlimited traces and a restart of the analysis in the middle;
/// then every analyzed invocation, the issues, the function figures over random ranges, the minute rollups and the
/// transaction costs equal the reference's.
/// </summary>
public sealed class PersistedAnalysisPropertyTests
{
    private static readonly DateTimeOffset T0 = AnalysisServer.T0;
    private static readonly string[] Functions = ["checkout", "send-email", "billing", "orders-worker"];

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            foreach (var cache in new[] { 0, 1, int.MaxValue })
                data.Add(seed, cache);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Persisted_analysis_equals_the_in_memory_reference(int seed, int cacheTraces)
    {
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(seed);
        var options = new AnalysisOptions { Time = new ManualTime(T0.AddHours(4)), EvaluationInterval = null, DetailsCacheTraces = cacheTraces };
        var folder = Path.Combine(Path.GetTempPath(), "threadline-analysis-tests", Guid.NewGuid().ToString("n"));
        var storeOptions = new DuckDbStoreOptions { DataDirectory = folder };
        var engine = new StitchEngine();
        var reader = new SpanDetailsReader(options);
        var analyzer = new InvocationAnalyzer(options);
        var reference = new ReferenceAnalysis(engine, reader, analyzer);
        var batches = Batches(random, Scenario(random));
        var restartAt = random.Next(batches.Count);
        await using var spans = DuckDbTelemetryStore.Open(storeOptions);
        var store = DuckDbAnalysisStore.Open(storeOptions);
        try
        {
            var state = new AnalysisState(engine, reader, analyzer, store, spans, options);
            for (var i = 0; i < batches.Count; i++)
            {
                if (i == restartAt)
                {
                    await store.DisposeAsync();
                    store = DuckDbAnalysisStore.Open(storeOptions);
                    state = new AnalysisState(engine, reader, analyzer, store, spans, options);
                }
                await spans.WriteAsync([new TelemetryBatch(batches[i], [])], ct);
                engine.Ingest(batches[i]);
                reference.Apply(batches[i]);
                state.DeriveCommitted(batches[i], spans.LastCommitSequence);
            }

            Assert.Contains(reference.Invocations.Values, i => i.Failure is not null);
            Assert.Contains(reference.Invocations.Values, i => i.Batch.Records.Count > 0);
            Assert.Equal(spans.LastCommitSequence, await store.GetWatermarkAsync(ct));
            await SameInvocations(reference, store, ct);
            SameIssues(reference, state, options);
            await SameFunctionFigures(random, reference, store, ct);
            await SameMinuteRollups(reference, store, ct);
            SameTransactionCosts(reference, state, options, engine);
        }
        finally
        {
            await store.DisposeAsync();
        }
        await spans.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task SameInvocations(ReferenceAnalysis reference, IAnalysisStore store, CancellationToken ct)
    {
        var stored = new List<AnalyzedInvocationRow>();
        foreach (var function in Functions)
            stored.AddRange(await store.ListByFunctionAsync(function, TimeRange.All, int.MaxValue, ct));
        Assert.Equal(reference.Invocations.Values.Select(i => Canonical(AnalysisRows.ToRow(i))).Order(StringComparer.Ordinal),
            stored.Select(Canonical).Order(StringComparer.Ordinal));
        // Read back as the analysis uses it, an invocation is the one derived (but for the derivation-only record span).
        foreach (var row in stored)
            Assert.Equal(Canonical(AnalysisRows.ToRow(reference.Invocations[new InvocationId(row.TraceId, row.SpanId)])), Canonical(AnalysisRows.ToRow(AnalysisRows.FromRow(row))));
    }

    private static string Canonical(AnalyzedInvocationRow row) =>
        JsonSerializer.Serialize(row with { CostUsd = row.CostUsd / 1.000000000000000000000000000000000m });

    private static void SameIssues(ReferenceAnalysis reference, AnalysisState state, AnalysisOptions options)
    {
        var expected = reference.Invocations.Values.Where(i => i.Failure is not null).GroupBy(i => i.Failure!.IssueId)
            .Select(g =>
            {
                var ordered = g.OrderBy(i => i.StartTimeUnixNano).ThenBy(i => i.Id).ToList();
                return (g.Key, ordered.Count, ordered[0].Start, ordered[^1].Start, ordered.Count(i => i.ColdStart), ordered[0].Failure!.Fingerprint);
            })
            .OrderByDescending(i => i.Item4).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
        var tracker = new IssueTracker(options, new ResolutionStore(null));
        var actual = state.Read(view => tracker.List(view, TimeRange.All))
            .Select(i => (i.Id, i.Count, i.FirstSeen, i.LastSeen, i.ColdStarts, i.Failure.Fingerprint)).ToList();
        Assert.Equal(expected, actual);
    }

    private static async Task SameFunctionFigures(Random random, ReferenceAnalysis reference, IAnalysisStore store, CancellationToken ct)
    {
        var starts = reference.Invocations.Values.Select(i => i.StartTimeUnixNano).Order().ToList();
        var ranges = new List<TimeRange> { TimeRange.All };
        for (var i = 0; i < 3; i++)
        {
            var a = starts[random.Next(starts.Count)];
            var b = starts[random.Next(starts.Count)];
            ranges.Add(new TimeRange(Math.Min(a, b), Math.Max(a, b) + 1));
        }
        foreach (var range in ranges)
        {
            var expected = reference.Invocations.Values
                .Where(i => i.StartTimeUnixNano >= range.FromUnixNano && i.StartTimeUnixNano < range.ToUnixNano)
                .GroupBy(i => i.Function).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => FunctionStats.Of(g.Key, g.ToList()))
                .Select(s => (s.Function, (long)s.Invocations, (long)s.Errors, s.P50Ms, s.P95Ms, s.P99Ms, (long)s.ColdStarts, s.CostUsd)).ToList();
            var actual = (await store.GetFunctionFiguresAsync(null, range, ct))
                .Select(f => (f.Function, f.Invocations, f.Errors, f.P50Ms, f.P95Ms, f.P99Ms, f.ColdStarts, f.CostUsd)).ToList();
            Assert.Equal(expected, actual);
        }
    }

    private static async Task SameMinuteRollups(ReferenceAnalysis reference, IAnalysisStore store, CancellationToken ct)
    {
        var minutes = await store.ListFunctionMinutesAsync(null, TimeRange.All, ct);
        foreach (var group in reference.Invocations.Values.GroupBy(i => i.Function))
        {
            var mine = minutes.Where(m => m.Function == group.Key).ToList();
            Assert.Equal((group.Count(), group.Count(i => i.Failed), group.Count(i => i.ColdStart), group.Sum(i => i.CostUsd)),
                ((int)mine.Sum(m => m.Invocations), (int)mine.Sum(m => m.Errors), (int)mine.Sum(m => m.ColdStarts), mine.Sum(m => m.CostUsd)));
            var histogram = new Dictionary<int, long>();
            foreach (var minute in mine)
                DurationHistogram.Add(histogram, minute.DurationBuckets);
            var exact = FunctionStats.Of(group.Key, group.ToList()).P95Ms;
            Assert.InRange(DurationHistogram.Percentile(histogram, 95), exact / DurationHistogram.Gamma - 0.001, Math.Max(exact * DurationHistogram.Gamma, 0.001) + 0.001);
        }
    }

    private static void SameTransactionCosts(ReferenceAnalysis reference, AnalysisState state, AnalysisOptions options, StitchEngine engine)
    {
        var calculator = new CostCalculator(options);
        foreach (var summary in engine.ListTransactions(new TransactionFilter { Limit = int.MaxValue }))
        {
            var members = engine.GetTransaction(summary.Id)!.Invocations;
            var expected = members.Sum(m => (reference.Invocations.GetValueOrDefault(m.Id)?.CostUsd ?? 0m) / Math.Max(1, engine.TransactionsOf(m.Id).Count));
            Assert.Equal(expected, state.Read(view => calculator.TransactionOf(view, summary.Id))!.CostUsd);
        }
    }

    private static List<Inv> Scenario(Random random)
    {
        var invocations = new List<Inv>();
        var count = random.Next(30, 70);
        var messages = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = Functions[random.Next(Functions.Length)];
            var fn = new Fn(name, random.Next(4) == 0 ? "v2" : "v1", MemoryMb: random.Next(2) == 0 ? 1024 : 333, Arch: random.Next(3) == 0 ? "arm64" : null);
            var start = T0.AddMinutes(random.Next(0, 180)).AddMilliseconds(random.NextDouble() * 60_000);
            var invocation = fn.Invoke(start, 1 + random.NextDouble() * 3000);
            if (name == "orders-worker" && messages.Count > 0)
            {
                invocation.FromQueue("orders", messages[random.Next(messages.Count)]);
            }
            else if (random.Next(3) == 0)
            {
                var message = $"m-{random.Next(1_000_000)}";
                messages.Add(message);
                invocation.Http("POST /orders", $"user-{random.Next(5)}").SendsTo("orders", message);
            }
            if (random.Next(5) == 0)
                invocation.Cold();
            if (random.Next(2) == 0)
                invocation.User($"user-{random.Next(8)}");
            switch (random.Next(10))
            {
                case 0 or 1 or 2:
                    invocation.Throws(random.Next(2) == 0 ? "TypeError" : "KeyError", $"No plan for tenant {random.Next(100)}");
                    break;
                case 3:
                    invocation.TimesOut();
                    break;
                case 4:
                    invocation.Calls("POST", "https://api.example.com/v1/send", 503).Throws("HttpError", "upstream failed");
                    break;
            }
            invocations.Add(invocation);
        }
        return invocations;
    }

    /// <summary>Every span (each invocation's root and children) shuffled, one in ten sent again later, cut into batches of 1 to 12.</summary>
    private static List<List<SpanRecord>> Batches(Random random, List<Inv> invocations)
    {
        var all = invocations.SelectMany(i => OtlpTraceNormalizer.Normalize(Inv.Request([i]))).ToList();
        all.AddRange(all.Where(_ => random.Next(10) == 0).ToList());
        var shuffled = all.OrderBy(_ => random.Next()).ToList();
        var batches = new List<List<SpanRecord>>();
        for (var i = 0; i < shuffled.Count;)
        {
            var size = Math.Min(random.Next(1, 13), shuffled.Count - i);
            batches.Add(shuffled.GetRange(i, size));
            i += size;
        }
        return batches;
    }
}
