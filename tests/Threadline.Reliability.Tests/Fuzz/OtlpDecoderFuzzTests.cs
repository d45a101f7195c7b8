using Google.Protobuf;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize;
using Threadline.Ingest.Protocol.Collector.Trace;
using Threadline.Ingest.Protocol.Common;
using Threadline.Ingest.Protocol.Resource;
using Threadline.Ingest.Protocol.Trace;

namespace Threadline.Reliability.Tests.Fuzz;

/// <summary>
/// Issue 9, bad input: mutations of real captured OTLP bodies and of the seed corpus, decoded and normalized exactly as
/// the receivers do, either are rejected with <see cref="OtlpFormatException"/> (a 400) or give records within the
/// normalization limits; never another exception, a hang or an allocation out of proportion to the input.
/// </summary>
public sealed class OtlpDecoderFuzzTests
{
    private static readonly IReadOnlyList<byte[]> ProtobufSeeds = FuzzCorpus.Files("otlp-protobuf");
    private static readonly IReadOnlyList<byte[]> JsonSeeds = FuzzCorpus.Files("otlp-json");

    [Fact]
    public Task Mutated_protobuf_bodies_are_rejected_cleanly_or_decoded_within_limits() =>
        FuzzRun.ForAllSeedsAsync(seed => DecodeTracesAndLogs(FuzzCorpus.Mutate(ProtobufSeeds, seed), OtlpEncoding.Protobuf));

    [Fact]
    public Task Mutated_json_bodies_are_rejected_cleanly_or_decoded_within_limits() =>
        FuzzRun.ForAllSeedsAsync(seed => DecodeTracesAndLogs(FuzzCorpus.Mutate(JsonSeeds, seed), OtlpEncoding.Json));

    [Fact]
    public Task Deep_wide_and_huge_attribute_values_are_capped_not_rejected() =>
        FuzzRun.ForAllSeedsAsync(FuzzCorpus.Cases / 10, seed =>
        {
            var random = new Random(seed);
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(Enumerable.Repeat((byte)7, 16).ToArray()),
                SpanId = ByteString.CopyFrom(Enumerable.Repeat((byte)9, 8).ToArray()),
                Name = new string('n', random.Next(2) == 0 ? 10 : 70_000),
                StartTimeUnixNano = 1,
                EndTimeUnixNano = 2,
            };
            var attributes = random.Next(4) == 0 ? random.Next(257, 300) : random.Next(1, 20);
            for (var i = 0; i < attributes; i++)
                span.Attributes.Add(new KeyValue { Key = "k" + i, Value = RandomValue(random, random.Next(0, 40)) });
            var request = new ExportTraceServiceRequest();
            request.ResourceSpans.Add(new ResourceSpans { Resource = new Resource(), ScopeSpans = { new ScopeSpans { Spans = { span } } } });
            var body = request.ToByteArray();
            // Protobuf's recursion limit (100 messages; a nested key/value list takes 3) rejects deeper values cleanly.
            DecodeTracesAndLogs(body, OtlpEncoding.Protobuf, mustDecode: Depth(span) <= 30);
            var json = System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(request)
                .Replace("\"BwcHBwcHBwcHBwcHBwcHBw==\"", "\"07070707070707070707070707070707\"", StringComparison.Ordinal)
                .Replace("\"CQkJCQkJCQk=\"", "\"0909090909090909\"", StringComparison.Ordinal));
            DecodeTracesAndLogs(json, OtlpEncoding.Json);
        });

    [Fact]
    public void The_caps_are_applied_with_markers()
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Enumerable.Repeat((byte)7, 16).ToArray()),
            SpanId = ByteString.CopyFrom(Enumerable.Repeat((byte)9, 8).ToArray()),
            Name = "capped",
            DroppedAttributesCount = 2,
        };
        span.Attributes.Add(new KeyValue { Key = "giant", Value = new AnyValue { StringValue = new string('g', 100_000) } });
        span.Attributes.Add(new KeyValue { Key = "deep", Value = Nested(30) });
        var wide = new KeyValueList();
        for (var i = 0; i < 300; i++)
            wide.Values.Add(new KeyValue { Key = "w" + i, Value = new AnyValue { IntValue = i } });
        span.Attributes.Add(new KeyValue { Key = "wide", Value = new AnyValue { KvlistValue = wide } });
        for (var i = 0; i < 300; i++)
            span.Attributes.Add(new KeyValue { Key = "a" + i, Value = new AnyValue { BoolValue = true } });
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(new ResourceSpans { ScopeSpans = { new ScopeSpans { Spans = { span } } } });

        var record = Assert.Single(OtlpTraceNormalizer.Normalize(request));

        Assert.Equal(NormalizationLimits.MaxAttributes, record.Attributes.Count);
        Assert.Equal(2u + (303 - 256), record.DroppedAttributesCount);
        var giant = Assert.IsType<string>(record.Attributes[0].Value);
        Assert.StartsWith(new string('g', NormalizationLimits.MaxValueLength), giant, StringComparison.Ordinal);
        Assert.EndsWith(NormalizationLimits.TruncatedMarker(100_000 - NormalizationLimits.MaxValueLength), giant, StringComparison.Ordinal);
        object? deep = record.Attributes[1].Value;
        for (var depth = 0; depth < NormalizationLimits.MaxDepth; depth++)
            deep = Assert.Single(Assert.IsType<IReadOnlyList<object?>>(deep, exactMatch: false));
        Assert.Equal(NormalizationLimits.TooDeepMarker, deep);
        var entries = Assert.IsType<IReadOnlyList<Telemetry.KeyValue>>(record.Attributes[2].Value, exactMatch: false);
        Assert.Equal(NormalizationLimits.MaxAttributes + 1, entries.Count);
        Assert.Equal(new Telemetry.KeyValue(NormalizationLimits.DroppedEntriesKey, NormalizationLimits.DroppedEntriesMarker(44)), entries[^1]);
        LimitChecks.Span(record);
    }

    private static void DecodeTracesAndLogs(byte[] body, OtlpEncoding encoding, bool mustDecode = false)
    {
        FuzzRun.WithinAllocation(body.Length, 64, () =>
        {
            try
            {
                foreach (var span in OtlpTraceNormalizer.Normalize(OtlpDecoder.DecodeTraces(body, encoding)))
                    LimitChecks.Span(span);
            }
            catch (OtlpFormatException) when (!mustDecode)
            {
                // A clean rejection: the receivers answer 400 / INVALID_ARGUMENT with the message.
            }
        });
        FuzzRun.WithinAllocation(body.Length, 64, () =>
        {
            try
            {
                foreach (var log in OtlpLogNormalizer.Normalize(OtlpDecoder.DecodeLogs(body, encoding)))
                    LimitChecks.Log(log);
            }
            catch (OtlpFormatException)
            {
            }
        });
    }

    private static AnyValue RandomValue(Random random, int depth)
    {
        if (depth == 0)
        {
            return random.Next(5) switch
            {
                0 => new AnyValue { StringValue = new string('s', random.Next(20) != 0 ? random.Next(20) : random.Next(60_000, 80_000)) },
                1 => new AnyValue { IntValue = random.NextInt64() },
                2 => new AnyValue { DoubleValue = random.NextDouble() },
                3 => new AnyValue { BytesValue = ByteString.CopyFrom(new byte[random.Next(20) != 0 ? 3 : 70_000]) },
                _ => new AnyValue { BoolValue = true },
            };
        }
        if (random.Next(2) == 0)
        {
            var array = new ArrayValue();
            array.Values.Add(RandomValue(random, depth - 1));
            return new AnyValue { ArrayValue = array };
        }
        var list = new KeyValueList();
        var width = random.Next(10) == 0 ? random.Next(250, 300) : 1;
        for (var i = 0; i < width; i++)
            list.Values.Add(new KeyValue { Key = "e" + i, Value = i == 0 ? RandomValue(random, depth - 1) : new AnyValue { IntValue = i } });
        return new AnyValue { KvlistValue = list };
    }

    private static AnyValue Nested(int depth) =>
        depth == 0 ? new AnyValue { StringValue = "bottom" } : new AnyValue { ArrayValue = new ArrayValue { Values = { Nested(depth - 1) } } };

    private static int Depth(Span span) => span.Attributes.Select(a => Depth(a.Value)).DefaultIfEmpty(0).Max();

    private static int Depth(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.ArrayValue => 1 + value.ArrayValue.Values.Select(Depth).DefaultIfEmpty(0).Max(),
        AnyValue.ValueOneofCase.KvlistValue => 1 + value.KvlistValue.Values.Select(v => Depth(v.Value)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
