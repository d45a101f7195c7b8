using System.Text;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Impact;
using Threadline.Analysis.Ingest;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Reliability.Tests.Fuzz;

/// <summary>
/// Issue 9, bad input: the readers that interpret what a function sent — the stitcher's span-facts reader (trigger keys,
/// links, DynamoDB pairs, ARNs) and the analysis' event readers (JSON paths, headers, user and VIP rules, exception and
/// call details) — given mutated real events and random attribute values, return an answer and never throw (a JSON
/// path given by the user may be refused with <see cref="FormatException"/>, which configuration reports).
/// </summary>
public sealed class EventParserFuzzTests
{
    private static readonly IReadOnlyList<byte[]> Events = FuzzCorpus.Files("events");
    private static readonly IReadOnlyList<byte[]> Paths = FuzzCorpus.Lines("json-paths", "paths.txt").Select(Encoding.UTF8.GetBytes).ToList();

    private static readonly string[] TracerKeys =
    [
        "faas.invocation_id", "faas.name", "cloud.resource_id", "faas.coldstart", "faas.trigger", "threadline.trigger.kind",
        "threadline.trigger.resource", "threadline.trigger.keys", "threadline.trigger.times", "threadline.trigger.retry",
        "threadline.outbound.keys", "threadline.dynamodb.pairs", "threadline.dynamodb.tables", "threadline.resource",
        "messaging.system", "messaging.message.id", "messaging.destination.name", "rpc.system", "rpc.service", "rpc.method",
        "aws.request_id", "http.request.method", "url.full", "server.address", "http.response.status_code", "aws.dynamodb.table_names",
        "threadline.event", "threadline.timeout", "faas.max_memory", "enduser.id", "threadline.link.via",
    ];

    private static readonly ValueRule[] Rules =
    [
        new() { Source = ValueSource.Header, Name = "X-User-Id" },
        new() { Source = ValueSource.JsonPath, Name = "$.body.userId" },
        new() { Source = ValueSource.JsonPath, Name = "$.Records[0].body" },
        new() { Source = ValueSource.Attribute, Name = "enduser.id" },
    ];

    [Fact]
    public Task Json_paths_over_mutated_events_answer_or_refuse_the_path_cleanly() =>
        FuzzRun.ForAllSeedsAsync(seed =>
        {
            var random = new Random(seed);
            var json = Encoding.UTF8.GetString(FuzzCorpus.Mutate(Events, seed));
            var path = Encoding.UTF8.GetString(FuzzCorpus.Mutate(Paths, random.Next()));
            try
            {
                JsonPath.Select(json, path);
            }
            catch (FormatException)
            {
                // A malformed path: configuration reports it when the rule is read.
            }
            var errors = new List<string>();
            if (ValueRule.Parse("jsonpath:" + path, errors) is { } rule)
                ValueRuleReader.Read(rule, SpanWith(random, [new("threadline.event", json)]));
            else
                Assert.NotEmpty(errors);
            ValueRule.Parse(path, []);
        });

    [Fact]
    public Task Generated_json_paths_are_parsed_or_refused_with_format_exception() =>
        FuzzRun.ForAllSeedsAsync(seed =>
        {
            var random = new Random(seed);
            var path = new StringBuilder(random.Next(4) == 0 ? "" : "$");
            for (var i = random.Next(6); i > 0; i--)
            {
                path.Append(random.Next(6) switch
                {
                    0 => "." + RandomText(random, random.Next(0, 6)),
                    1 => "['" + RandomText(random, random.Next(0, 6)) + "']",
                    2 => "[" + string.Concat(Enumerable.Range(0, random.Next(1, 22)).Select(_ => (char)('0' + random.Next(10)))) + "]",
                    3 => "[" + RandomText(random, random.Next(0, 4)),
                    4 => "[\"" + RandomText(random, random.Next(0, 4)) + "\"]",
                    _ => RandomText(random, 1),
                });
            }
            var text = path.ToString();
            try
            {
                JsonPath.Steps(text);
                JsonPath.Select("""{"a":[{"b":"c"}]}""", text);
            }
            catch (FormatException)
            {
            }
            var errors = new List<string>();
            Assert.True(ValueRule.Parse("jsonpath:" + text, errors) is not null || errors.Count > 0);
        });

    private static string RandomText(Random random, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => "ab$.[]'\"-0 \u00e9"[random.Next(12)]));

    [Fact]
    public Task Span_facts_and_span_details_are_read_from_random_attributes_without_throwing() =>
        FuzzRun.ForAllSeedsAsync(seed =>
        {
            var random = new Random(seed);
            var attributes = new List<KeyValue>();
            for (var i = random.Next(1, 12); i > 0; i--)
                attributes.Add(new KeyValue(TracerKeys[random.Next(TracerKeys.Length)], RandomValue(random, seed)));
            var span = SpanWith(random, attributes);
            SpanFactsReader.Read(span);
            foreach (var rule in Rules)
                new SpanDetailsReader(new AnalysisOptions { UserRule = rule, VipRule = new VipRule { Rule = rule, Values = ["gold"] } }).Read(span);
            foreach (var key in attributes.Select(a => a.Value).OfType<string>())
            {
                CorrelationKeys.TryParseDynamoItem(key, out _, out _);
                CorrelationKeys.ViaOf(key);
                CorrelationKeys.ResourceOf(key);
                CorrelationKeys.SortedPairs(key);
            }
        });

    private static object? RandomValue(Random random, int seed) => random.Next(9) switch
    {
        0 => random.NextInt64(long.MinValue, long.MaxValue),
        1 => random.Next(2) == 0,
        2 => random.NextDouble() * 1e300,
        3 => new object?[] { "sqs:msg:" + random.Next(), random.NextInt64(), null, "ddb:t:" + new string('=', random.Next(5)) },
        4 => Encoding.UTF8.GetString(FuzzCorpus.Mutate(Events, seed)),
        5 => new[] { "ddb:orders:id=S#1|sk=N#2", "lambda:req:", ":", "s3:req:x", "ddb::", "ddb:t:a=|=b" }[random.Next(6)],
        6 => "arn:aws:lambda:eu-west-1:1:function:" + new string(':', random.Next(3)),
        7 => null,
        _ => new KeyValue[] { new("nested", "value") },
    };

    private static SpanRecord SpanWith(Random random, IReadOnlyList<KeyValue> attributes) => new()
    {
        TraceId = (UInt128)random.NextInt64(1, long.MaxValue) << 64 | (UInt128)(ulong)random.NextInt64(),
        SpanId = (ulong)random.NextInt64(1, long.MaxValue),
        ParentSpanId = random.Next(2) == 0 ? 0 : (ulong)random.NextInt64(1, long.MaxValue),
        Name = "fuzzed",
        Kind = (SpanKind)random.Next(6),
        StartTimeUnixNano = random.NextInt64(0, long.MaxValue / 2),
        EndTimeUnixNano = random.NextInt64(0, long.MaxValue / 2),
        StatusCode = (StatusCode)random.Next(3),
        StatusMessage = random.Next(2) == 0 ? null : "failed",
        Attributes = attributes,
        Events = random.Next(2) == 0 ? [] : [new SpanEvent("exception", 1, attributes, 0)],
        Links = random.Next(2) == 0 ? [] : [new SpanLink((UInt128)random.NextInt64(), (ulong)random.NextInt64(), null, attributes, 0, 0)],
        Resource = new ResourceRecord(1, "fuzz", attributes, null),
        Scope = new ScopeRecord(2, "fuzz", null, []),
    };
}
