using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Threadline.Server.Tests;

/// <summary>Zipkin v2 JSON on its own listener: the JS Zipkin exporter's capture, gzip, and malformed bodies.</summary>
public sealed class ZipkinTests(TracerReceiversFixture fixture) : IClassFixture<TracerReceiversFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_js_zipkin_exporter_capture_is_stored()
    {
        using var response = await PostAsync(TracerReceiversFixture.RealClient("node-exporters-2_api_v2_spans.bin"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var span = Assert.Single(await fixture.WaitForSpansAsync("48ec98f8de89d1d012f739096d5b5f42", s => s.Count == 1));
        Assert.Equal(("4abb5ab97e3ba76c", "span-via-zipkin", "unknown_service:node", "internal", 1_795_663_953_619_000_000L, 25_000L),
            (span.GetProperty("spanId").GetString(), span.GetProperty("name").GetString(), span.GetProperty("service").GetString(),
             span.GetProperty("kind").GetString(), span.GetProperty("startTimeUnixNano").GetInt64(),
             span.GetProperty("endTimeUnixNano").GetInt64() - span.GetProperty("startTimeUnixNano").GetInt64()));
        Assert.Equal("2.12.1", span.GetProperty("attributes").GetProperty("telemetry.sdk.version").GetString());
    }

    [Fact]
    public async Task A_gzip_body_with_a_64_bit_trace_id_annotations_and_an_error_is_mapped()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);
        var body = $$"""
            [{"traceId":"{{traceId}}","parentId":"1111111111111111","id":"2222222222222222","kind":"CLIENT","name":"get /orders",
              "timestamp":1795663953619000,"duration":1200,"localEndpoint":{"serviceName":"frontend","ipv4":"10.0.0.1"},
              "remoteEndpoint":{"serviceName":"orders","ipv4":"10.0.0.2","port":443},"tags":{"http.method":"GET","error":"timeout"},
              "annotations":[{"timestamp":1795663953619100,"value":"ws"}]}]
            """;
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(body), Ct);

        using var response = await PostAsync(compressed.ToArray(), gzip: true);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var span = Assert.Single(await fixture.WaitForSpansAsync(new string('0', 16) + traceId, s => s.Count == 1));
        Assert.Equal(("frontend", "client", "1111111111111111", "error", "timeout"),
            (span.GetProperty("service").GetString(), span.GetProperty("kind").GetString(), span.GetProperty("parentSpanId").GetString(),
             span.GetProperty("status").GetProperty("code").GetString(), span.GetProperty("status").GetProperty("message").GetString()));
        var attributes = span.GetProperty("attributes");
        Assert.Equal(("orders", "10.0.0.2", 443L, "10.0.0.1", "GET"),
            (attributes.GetProperty("peer.service").GetString(), attributes.GetProperty("network.peer.address").GetString(),
             attributes.GetProperty("network.peer.port").GetInt64(), attributes.GetProperty("network.local.address").GetString(),
             attributes.GetProperty("http.method").GetString()));
        var annotation = Assert.Single(span.GetProperty("events").EnumerateArray());
        Assert.Equal(("ws", 1_795_663_953_619_100_000L), (annotation.GetProperty("name").GetString(), annotation.GetProperty("timeUnixNano").GetInt64()));
    }

    [Theory]
    [InlineData("[{\"traceId\":\"48ec98f8de89d1d0\",\"id\":", "not valid JSON (line 1, byte 37)")]
    [InlineData("{\"spans\":[]}", "must be a JSON array of Zipkin v2 spans")]
    [InlineData("[{\"traceId\":\"48ec98f8de89d1d0\",\"id\":\"4abb5ab97e3ba76c\",\"timestamp\":1,\"kind\":\"SIDEWAYS\"}]", "[0]: kind must be CLIENT, SERVER, PRODUCER or CONSUMER, got 'SIDEWAYS'")]
    [InlineData("[{\"traceId\":\"48ec98f8de89d1d0\",\"id\":\"4abb5ab97e3b\",\"timestamp\":1}]", "[0]: id must be 16 hex digits")]
    [InlineData("[{\"traceId\":\"48ec98f8de89d1d0\",\"id\":\"4abb5ab97e3ba76c\"}]", "[0]: timestamp (epoch microseconds) is missing")]
    public async Task A_malformed_body_is_a_400_that_says_where(string body, string expected)
    {
        using var response = await PostAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString();
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_bad_span_rejects_the_body_and_stores_none_of_it()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var body = $$"""
            [{"traceId":"{{traceId}}","id":"1111111111111111","name":"good","timestamp":1795663953619000,"duration":5},
             {"traceId":"{{traceId}}","id":"2222222222222222","name":"bad","timestamp":-4}]
            """;

        using var response = await PostAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[1]: timestamp -4 is not a time", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var trace = await fixture.Api.GetAsync($"/api/traces/{traceId}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, trace.StatusCode);
    }

    [Fact]
    public async Task Another_content_type_is_a_415_and_each_listener_keeps_its_endpoints()
    {
        using var text = await fixture.Zipkin.PostAsync("/api/v2/spans", new StringContent("[]", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        using var otlpOnZipkin = await fixture.Zipkin.PostAsync("/v1/traces", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, otlpOnZipkin.StatusCode);
        using var otlpHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Server.OtlpHttpPort}") };
        using var zipkinOnOtlp = await otlpHttp.PostAsync("/api/v2/spans", new StringContent("[]", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, zipkinOnOtlp.StatusCode);
        using var zipkinOnApi = await fixture.Api.PostAsync("/api/v2/spans", new StringContent("[]", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, zipkinOnApi.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, bool gzip = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (gzip)
            content.Headers.ContentEncoding.Add("gzip");
        return await fixture.Zipkin.PostAsync("/api/v2/spans", content, Ct);
    }
}
