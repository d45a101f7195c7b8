using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize.Lumigo;

namespace Threadline.Reliability.Tests.Fuzz;

/// <summary>
/// Issue 15, bad input: mutations of the Lumigo tracer's real bodies (and of the Python tracer's zipped bulk), decoded
/// and normalized exactly as <c>/api/spans</c> does, either are rejected with <see cref="LumigoFormatException"/> (a 400)
/// or give spans within the normalization limits; never another exception, a hang or an allocation out of proportion.
/// Structural mutations (values of random types and sizes in real spans) exercise the normalizer beyond the parser.
/// </summary>
public sealed class LumigoDecoderFuzzTests
{
    private const int MaxDecodedBytes = 1024 * 1024;
    private static readonly IReadOnlyList<byte[]> Seeds = FuzzCorpus.Files("lumigo");

    [Fact]
    public Task Mutated_bodies_are_rejected_cleanly_or_decoded_within_limits() =>
        FuzzRun.ForAllSeedsAsync(seed => DecodeAndNormalize(FuzzCorpus.Mutate(Seeds, seed)));

    [Fact]
    public Task Real_spans_with_values_of_random_types_are_normalized_within_limits() =>
        FuzzRun.ForAllSeedsAsync(RandomValuesInRealSpans);

    /// <summary>Seeds the property above once failed with (a Lumigo value the normalizer passed on uncut).</summary>
    [Theory]
    [InlineData(1472068374)]
    public void Real_spans_with_values_that_once_escaped_the_limits_are_normalized_within_them(int seed) => RandomValuesInRealSpans(seed);

    private static void RandomValuesInRealSpans(int seed)
    {
        var random = new Random(seed);
        var plain = Seeds.Where(s => s[0] == (byte)'[').ToList();
        var bulk = JsonNode.Parse(plain[random.Next(plain.Count)])!;
        var values = Walk(bulk).ToList();
        for (var edits = random.Next(1, 8); edits > 0 && values.Count > 0; edits--)
        {
            var (parent, key) = values[random.Next(values.Count)];
            var replacement = RandomValue(random);
            if (parent is JsonObject obj)
                obj[(string)key] = replacement;
            else if (parent is JsonArray array)
                array[(int)key] = replacement;
            values = Walk(bulk).ToList();
        }
        var body = Encoding.UTF8.GetBytes(bulk.ToJsonString());
        DecodeAndNormalize(body, mustDecode: true);
    }

    private static void DecodeAndNormalize(byte[] body, bool mustDecode = false) =>
        FuzzRun.WithinAllocation(body.Length, 64, () =>
        {
            try
            {
                using var document = LumigoBulkDecoder.Decode(body, MaxDecodedBytes);
                var problems = new List<string>();
                foreach (var span in LumigoSpanNormalizer.Normalize(document.RootElement, problems))
                    LimitChecks.Span(span);
            }
            catch (LumigoFormatException) when (!mustDecode)
            {
                // A clean rejection: /api/spans answers 400 with the message.
            }
        });

    private static IEnumerable<(JsonNode Parent, object Key)> Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    yield return (obj, name);
                    foreach (var inner in Walk(child))
                        yield return inner;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, i);
                    foreach (var inner in Walk(array[i]))
                        yield return inner;
                }
                break;
        }
    }

    private static JsonNode? RandomValue(Random random) => random.Next(10) switch
    {
        0 => null,
        1 => random.NextInt64(long.MinValue, long.MaxValue),
        2 => random.NextDouble() * 1e300,
        3 => new string('x', random.Next(20) == 0 ? 70_000 : random.Next(0, 40)),
        4 => new JsonArray(JsonValue.Create("a"), JsonValue.Create(1), null),
        5 => new JsonObject { ["type"] = "Error", ["message"] = 7 },
        6 => "{\"AWS_SECRET\":\"x\",\"n\":[1,{\"deep\":\"" + new string('{', random.Next(0, 200)),
        7 => random.Next(2) == 0,
        8 => "arn:aws:lambda:us-east-1:1:function:" + new string(':', random.Next(3)),
        _ => "1-" + random.Next() + "-" + new string('f', random.Next(0, 30)),
    };
}
