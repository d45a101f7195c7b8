using Threadline.Ingest.Decode;
using Threadline.Ingest.Normalize;
using Threadline.Ingest.Normalize.Zipkin;

namespace Threadline.Reliability.Tests.Fuzz;

/// <summary>
/// Issue 15, bad input: mutations of X-Ray daemon datagrams (a real X-Ray SDK capture, an ADOT T1S datagram built from a
/// real OTLP body, an independent subsegment with every field the translator reads) and of Zipkin v2 bodies (the real
/// JS exporter's and a richer one), decoded, translated and normalized exactly as the receivers do: either rejected
/// with <see cref="OtlpFormatException"/> (a counted drop / a 400) or records within the normalization limits.
/// </summary>
public sealed class XRayZipkinFuzzTests
{
    private static readonly IReadOnlyList<byte[]> DatagramSeeds = FuzzCorpus.Files("xray-udp");
    private static readonly IReadOnlyList<byte[]> ZipkinSeeds = FuzzCorpus.Files("zipkin-json");

    [Fact]
    public void The_seeds_decode()
    {
        foreach (var seed in DatagramSeeds)
            Assert.NotEmpty(DecodeDatagram(seed));
        foreach (var seed in ZipkinSeeds)
            Assert.NotEmpty(DecodeZipkin(seed));
    }

    [Fact]
    public Task Mutated_xray_datagrams_are_dropped_cleanly_or_decoded_within_limits() =>
        FuzzRun.ForAllSeedsAsync(seed =>
        {
            var datagram = FuzzCorpus.Mutate(DatagramSeeds, seed);
            FuzzRun.WithinAllocation(datagram.Length, 64, () => Clean(() => DecodeDatagram(datagram)));
        });

    [Fact]
    public Task Mutated_zipkin_bodies_are_rejected_cleanly_or_decoded_within_limits() =>
        FuzzRun.ForAllSeedsAsync(seed =>
        {
            var body = FuzzCorpus.Mutate(ZipkinSeeds, seed);
            FuzzRun.WithinAllocation(body.Length, 64, () => Clean(() => DecodeZipkin(body)));
        });

    private static void Clean(Func<List<Telemetry.SpanRecord>> decode)
    {
        try
        {
            foreach (var span in decode())
                LimitChecks.Span(span);
        }
        catch (OtlpFormatException)
        {
            // A clean rejection: the UDP receiver counts a drop, the Zipkin listener answers 400 with the message.
        }
    }

    private static List<Telemetry.SpanRecord> DecodeDatagram(byte[] datagram)
    {
        var content = XRayDatagram.Decode(datagram);
        return OtlpTraceNormalizer.Normalize(content.Otlp ?? content.Segment!.Request);
    }

    private static List<Telemetry.SpanRecord> DecodeZipkin(byte[] body)
    {
        using var document = JsonBody.Parse(body, "The body");
        return OtlpTraceNormalizer.Normalize(JsonBody.Read(() => ZipkinSpanTranslator.Translate(document.RootElement), "The body"));
    }
}
