using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Threadline.Ingest.Decode;
using Threadline.Ingest.Protocol.Collector.Trace;

namespace Threadline.Server.Tests;

/// <summary>
/// Bodies captured from real third-party clients (OpenTelemetry JS and .NET, protobuf and JSON) decode,
/// round-trip through the protobuf encoding, and come back from the API span for span.
/// </summary>
public sealed class RealClientFixtureTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, string> Fixtures => new()
    {
        { "dotnet-otlp-http-1.bin", "application/x-protobuf" },
        { "dotnet-otlp-grpc-2.bin", "application/x-protobuf" },
        { "node-otlp-grpc-1.bin", "application/x-protobuf" },
        { "otlp-node-default-1_v1_traces.bin", "application/x-protobuf" },
        { "otlp-node-global-1_v1_traces.bin", "application/x-protobuf" },
        { "otlp-node-xray-1_v1_traces.bin", "application/x-protobuf" },
        { "node-exporters-1_v1_traces.bin", "application/json" },
    };

    private static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "real-clients", name));

    private static ExportTraceServiceRequest Decode(string name, string contentType) =>
        OtlpDecoder.DecodeTraces(Read(name), contentType == "application/json" ? OtlpEncoding.Json : OtlpEncoding.Protobuf);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_decodes_and_round_trips(string name, string contentType)
    {
        var request = Decode(name, contentType);

        var spans = request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans).ToList();
        Assert.NotEmpty(spans);
        Assert.All(spans, span =>
        {
            Assert.Equal(16, span.TraceId.Length);
            Assert.Equal(8, span.SpanId.Length);
            Assert.NotEmpty(span.Name);
        });
        var reparsed = ExportTraceServiceRequest.Parser.ParseFrom(request.ToByteArray());
        Assert.Equal(request, reparsed);
    }

    [Fact]
    public void Json_fixture_ids_are_read_as_hex()
    {
        var raw = JsonDocument.Parse(Read("node-exporters-1_v1_traces.bin")).RootElement;
        var rawSpan = raw.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans")[0];

        var span = Decode("node-exporters-1_v1_traces.bin", "application/json").ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal(rawSpan.GetProperty("traceId").GetString(), Convert.ToHexString(span.TraceId.Span).ToLowerInvariant());
        Assert.Equal(rawSpan.GetProperty("spanId").GetString(), Convert.ToHexString(span.SpanId.Span).ToLowerInvariant());
        Assert.Equal(ulong.Parse(rawSpan.GetProperty("startTimeUnixNano").GetString()!, System.Globalization.CultureInfo.InvariantCulture), span.StartTimeUnixNano);
        Assert.Equal(rawSpan.GetProperty("name").GetString(), span.Name);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_posted_over_http_comes_back_from_the_api(string name, string contentType)
    {
        var content = new ByteArrayContent(Read(name));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await fixture.OtlpHttp.PostAsync("/v1/traces", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Decode(name, contentType).ResourceSpans
            .SelectMany(r => r.ScopeSpans.SelectMany(s => s.Spans).Select(span => (Resource: r.Resource, Span: span)))
            .ToList();
        foreach (var group in sent.GroupBy(s => Convert.ToHexString(s.Span.TraceId.Span).ToLowerInvariant()))
        {
            var trace = await fixture.GetTraceAsync(group.Key);
            var stored = trace.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("spanId").GetString()!);
            foreach (var (resource, span) in group)
            {
                var match = stored[Convert.ToHexString(span.SpanId.Span).ToLowerInvariant()];
                Assert.Equal(span.Name, match.GetProperty("name").GetString());
                Assert.Equal((long)span.StartTimeUnixNano, match.GetProperty("startTimeUnixNano").GetInt64());
                Assert.Equal((long)span.EndTimeUnixNano, match.GetProperty("endTimeUnixNano").GetInt64());
                Assert.Equal(span.Attributes.Count, match.GetProperty("attributes").EnumerateObject().Count());
                Assert.Equal(span.Links.Count, match.GetProperty("links").GetArrayLength());
                Assert.Equal(span.Events.Count, match.GetProperty("events").GetArrayLength());
                var serviceName = resource.Attributes.Single(a => a.Key == "service.name").Value.StringValue;
                Assert.Equal(serviceName, match.GetProperty("service").GetString());
                Assert.Equal(resource.Attributes.Count, match.GetProperty("resource").EnumerateObject().Count());
            }
        }
    }
}
