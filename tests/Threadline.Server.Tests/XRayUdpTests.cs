using System.Text;
using System.Text.Json;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Collector.Trace;

namespace Threadline.Server.Tests;

/// <summary>
/// The X-Ray daemon protocol over a real UDP socket: the aws-xray-sdk-core capture, ADOT's T1S datagram carrying a real
/// OTLP body, Lambda's independent subsegments under a facade that never arrives, and bad datagrams among good ones.
/// </summary>
public sealed class XRayUdpTests(TracerReceiversFixture fixture) : IClassFixture<TracerReceiversFixture>
{
    private const string Header = "{\"format\":\"json\",\"version\":1}\n";

    [Fact]
    public async Task The_xray_sdk_capture_becomes_spans_with_the_attributes_the_stitcher_reads()
    {
        await fixture.SendAsync(TracerReceiversFixture.RealClient("xray-udp-1.txt"));

        // X-Ray's 1-6b07a830-1972105cc0b9d32221aad483: the epoch seconds and the 24 random digits, one 128-bit id.
        var spans = await fixture.WaitForSpansAsync("6b07a8301972105cc0b9d32221aad483", s => s.Count == 3);
        var segment = Assert.Single(spans, s => s.GetProperty("spanId").GetString() == "9643a241e2f04fd0");
        Assert.Equal(("xray-probe-svc", "xray-probe-svc", "server", 1_795_663_920_403_000_000L),
            (segment.GetProperty("name").GetString(), segment.GetProperty("service").GetString(), segment.GetProperty("kind").GetString(),
             segment.GetProperty("startTimeUnixNano").GetInt64()));
        Assert.Equal(("aws-xray-sdk-core", "3.12.0"), (segment.GetProperty("scope").GetProperty("name").GetString(), segment.GetProperty("scope").GetProperty("version").GetString()));

        var custom = Assert.Single(spans, s => s.GetProperty("name").GetString() == "custom-work");
        Assert.Equal(("9643a241e2f04fd0", "internal", "v"), (custom.GetProperty("parentSpanId").GetString(), custom.GetProperty("kind").GetString(),
            custom.GetProperty("attributes").GetProperty("k").GetString()));

        var send = Assert.Single(spans, s => s.GetProperty("spanId").GetString() == "9c8506be08350d04");
        Assert.Equal(("SQS.SendMessage", "producer", "9643a241e2f04fd0", 18_000_000L),
            (send.GetProperty("name").GetString(), send.GetProperty("kind").GetString(), send.GetProperty("parentSpanId").GetString(),
             send.GetProperty("endTimeUnixNano").GetInt64() - send.GetProperty("startTimeUnixNano").GetInt64()));
        var attributes = send.GetProperty("attributes");
        Assert.Equal(("aws-api", "SQS", "SendMessage", "ca0d5f20-fc5f-4588-976e-2f1a446fa180", "c3c0560a-5bf5-47af-a32e-72346db451c3", "probe-queue", 200L),
            (attributes.GetProperty("rpc.system").GetString(), attributes.GetProperty("rpc.service").GetString(), attributes.GetProperty("rpc.method").GetString(),
             attributes.GetProperty("aws.request_id").GetString(), attributes.GetProperty("messaging.message.id").GetString(),
             attributes.GetProperty("messaging.destination.name").GetString(), attributes.GetProperty("http.response.status_code").GetInt64()));

        // The stitcher read the message id as the producer side of an SQS hop. The spans of a datagram are readable as
        // soon as stored; its transaction once the writer loop derived that commit (no sender waits for it over UDP).
        await fixture.WaitForTransactionsAsync("6b07a8301972105cc0b9d32221aad483", t => t.Count == 1);
        var list = await fixture.GetAsync("/api/transactions?messageId=c3c0560a-5bf5-47af-a32e-72346db451c3");
        var transaction = Assert.Single(list.GetProperty("transactions").EnumerateArray());
        Assert.Equal("6b07a8301972105cc0b9d32221aad483-9643a241e2f04fd0", transaction.GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_adot_T1S_datagram_is_stored_like_the_same_OTLP_body()
    {
        var body = TracerReceiversFixture.RealClient("dotnet-otlp-http-1.bin");
        var expected = OtlpDecoder.DecodeTraces(body, OtlpEncoding.Protobuf).ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans).ToList();
        var traceId = Convert.ToHexStringLower(expected[0].TraceId.Span);

        await fixture.SendAsync(Encoding.UTF8.GetBytes(Header + "T1S" + Convert.ToBase64String(body)));

        var spans = await fixture.WaitForSpansAsync(traceId, s => s.Count == expected.Count);
        Assert.Equal(expected.Select(s => Convert.ToHexStringLower(s.SpanId.Span)).Order(), spans.Select(s => s.GetProperty("spanId").GetString()).Order());
        Assert.Equal(expected.Select(s => s.Name).Order(), spans.Select(s => s.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task Bad_datagrams_are_counted_drops_and_the_datagrams_around_them_are_stored()
    {
        var before = (await fixture.GetAsync("/api/health")).GetProperty("xrayUdp").GetProperty("droppedMalformed").GetInt64();
        var (first, firstDatagram) = Segment("first");
        var (last, lastDatagram) = Segment("last");

        await fixture.SendAsync(
            firstDatagram,
            "not a daemon datagram"u8.ToArray(),
            Encoding.UTF8.GetBytes(Header + "{\"id\":\"1111111111111111\",\"name\":\"no trace id\",\"start_time\":1}"),
            Encoding.UTF8.GetBytes(Header + "T1S!!!not base64"),
            Encoding.UTF8.GetBytes(Header + "T1U" + Convert.ToBase64String([0xff, 0xff, 0xff])),
            Encoding.UTF8.GetBytes(Header + "{\"trace_id\": [1, 2"),
            lastDatagram);

        await fixture.WaitForSpansAsync(first, s => s.Count == 1);
        await fixture.WaitForSpansAsync(last, s => s.Count == 1);
        var health = (await fixture.GetAsync("/api/health")).GetProperty("xrayUdp");
        Assert.Equal(before + 5, health.GetProperty("droppedMalformed").GetInt64());
        Assert.Equal(fixture.Server.XrayPort, health.GetProperty("port").GetInt32());
        Assert.False(string.IsNullOrEmpty(health.GetProperty("lastDropReason").GetString()));
    }

    [Fact]
    public async Task Independent_subsegments_under_a_lambda_facade_that_never_arrives_are_one_invocation()
    {
        var trace = NewXRayTraceId();
        var traceHex = trace[2..10] + trace[11..];
        const string facade = "aaaaaaaaaaaaaaa1";
        // As the SDK streams them in Lambda: a nested call closes (and is sent) before the subsegment around it.
        var datagrams = new[]
        {
            Subsegment(trace, "bbbbbbbbbbbbbbb2", "ccccccccccccccc3", "inner", 10.1, 10.2),
            Subsegment(trace, "ccccccccccccccc3", facade, "handler-work", 10.0, 10.4),
            Subsegment(trace, "ddddddddddddddd4", facade, "SQS", 10.5, 10.6, "\"namespace\":\"aws\",\"aws\":{\"operation\":\"SendMessage\",\"queue_url\":\"http://q/1/orders\",\"message_id\":\"m-" + traceHex + "\"},"),
        };

        await fixture.SendAsync(datagrams);

        var spans = await fixture.WaitForSpansAsync(traceHex, s => s.Count == 4);
        var stand = Assert.Single(spans, s => s.GetProperty("spanId").GetString() == facade);
        Assert.True(stand.GetProperty("attributes").GetProperty("threadline.xray.facade").GetBoolean());
        Assert.Equal(JsonValueKind.Null, stand.GetProperty("parentSpanId").ValueKind);
        var start = spans.Single(s => s.GetProperty("spanId").GetString() == "ccccccccccccccc3").GetProperty("startTimeUnixNano").GetInt64();
        var end = spans.Single(s => s.GetProperty("spanId").GetString() == "ddddddddddddddd4").GetProperty("endTimeUnixNano").GetInt64();
        Assert.Equal((start, end), (stand.GetProperty("startTimeUnixNano").GetInt64(), stand.GetProperty("endTimeUnixNano").GetInt64()));

        // Stored spans are readable a moment before the stitcher has derived them (UDP has no acknowledgement to wait for).
        var summary = Assert.Single(await fixture.WaitForTransactionsAsync(traceHex, t => t.Count == 1 && t[0].GetProperty("id").GetString() == $"{traceHex}-{facade}"));
        Assert.Equal($"{traceHex}-{facade}", summary.GetProperty("id").GetString());
        Assert.Equal(1, summary.GetProperty("invocationCount").GetInt32());
        var transaction = await fixture.GetAsync($"/api/transactions/{traceHex}-{facade}");
        Assert.Equal([facade, "bbbbbbbbbbbbbbb2", "ccccccccccccccc3", "ddddddddddddddd4"],
            transaction.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("spanId").GetString()).Order(StringComparer.Ordinal));
    }

    private static (string TraceHex, byte[] Datagram) Segment(string name)
    {
        var trace = NewXRayTraceId();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        return (trace[2..10] + trace[11..], Encoding.UTF8.GetBytes(Header + JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["trace_id"] = trace,
            ["id"] = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]),
            ["name"] = name,
            ["start_time"] = start,
            ["end_time"] = start + 0.01,
        })));
    }

    private static byte[] Subsegment(string trace, string id, string parent, string name, double startOffset, double endOffset, string extra = "")
    {
        var epoch = Convert.ToInt64(trace[2..10], 16);
        return Encoding.UTF8.GetBytes(Header + "{" + extra
            + $"\"type\":\"subsegment\",\"trace_id\":\"{trace}\",\"id\":\"{id}\",\"parent_id\":\"{parent}\",\"name\":\"{name}\","
            + $"\"start_time\":{(epoch + startOffset).ToString(System.Globalization.CultureInfo.InvariantCulture)},"
            + $"\"end_time\":{(epoch + endOffset).ToString(System.Globalization.CultureInfo.InvariantCulture)}}}");
    }

    private static string NewXRayTraceId() =>
        $"1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..12])}";
}
