using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using RpcStatus = Threadline.Ingest.Protocol.Rpc.Status;

namespace Threadline.Server.Tests;

/// <summary>Every bad request gets a clear error, stores nothing of itself, and leaves other requests alone.</summary>
public sealed class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> PostAsync(string path, HttpContent content) => fixture.OtlpHttp.PostAsync(path, content, Ct);

    private static ByteArrayContent Protobuf(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static async Task<RpcStatus> ReadStatusAsync(HttpResponseMessage response) =>
        RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Ct));

    [Fact]
    public async Task Malformed_protobuf_is_400_with_the_reason()
    {
        var response = await PostAsync("/v1/traces", Protobuf([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await ReadStatusAsync(response);
        Assert.Equal(3, status.Code);
        Assert.Contains("not a valid OTLP protobuf", status.Message);
    }

    [Theory]
    [InlineData("{\"resourceSpans\": [", "not valid JSON")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"xyz\"}]}]}]}", "not a hex-encoded id")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"kind\": {\"a\": 1}}]}]}]}", "not a valid OTLP/JSON")]
    public async Task Malformed_json_is_400_with_the_reason(string body, string reason)
    {
        var response = await PostAsync("/v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_request_with_one_bad_span_stores_none_of_its_spans()
    {
        var traceId = OtlpRequests.RandomTraceId();
        var good = OtlpRequests.Span(traceId, "good");
        var bad = OtlpRequests.Span(traceId, "bad", spanId: ByteString.CopyFrom(1, 2, 3));

        var response = await PostAsync("/v1/traces", Protobuf(OtlpRequests.Request(good, bad).ToByteArray()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("resourceSpans[0].scopeSpans[0].spans[1]: spanId must be 8 bytes, got 3", (await ReadStatusAsync(response)).Message);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.GetTraceStatusAsync(OtlpRequests.Hex(traceId)));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var traceId = OtlpRequests.RandomTraceId();
        var span = OtlpRequests.Span(traceId, new string('x', ServerFixture.MaxRequestBytes));

        var response = await PostAsync("/v1/traces", Protobuf(OtlpRequests.Request(span).ToByteArray()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(8, (await ReadStatusAsync(response)).Code);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.GetTraceStatusAsync(OtlpRequests.Hex(traceId)));
    }

    [Fact]
    public async Task A_gzip_body_that_inflates_over_the_limit_is_413()
    {
        var span = OtlpRequests.Span(OtlpRequests.RandomTraceId(), new string('x', ServerFixture.MaxRequestBytes * 4));
        var content = Protobuf(Gzip(OtlpRequests.Request(span).ToByteArray()));
        content.Headers.ContentEncoding.Add("gzip");
        Assert.True(content.Headers.ContentLength < ServerFixture.MaxRequestBytes);

        var response = await PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("decompressed body", (await ReadStatusAsync(response)).Message);
    }

    [Fact]
    public async Task A_gzip_body_within_the_limit_is_stored()
    {
        var traceId = OtlpRequests.RandomTraceId();
        var content = Protobuf(Gzip(OtlpRequests.Request(OtlpRequests.Span(traceId, "zipped")).ToByteArray()));
        content.Headers.ContentEncoding.Add("gzip");

        var response = await PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trace = await fixture.GetTraceAsync(OtlpRequests.Hex(traceId));
        Assert.Equal("zipped", Assert.Single(trace.GetProperty("spans").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Corrupt_gzip_is_400()
    {
        var content = Protobuf([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        content.Headers.ContentEncoding.Add("gzip");

        var response = await PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain", null)]
    [InlineData(null, null)]
    [InlineData("application/x-protobuf", "br")]
    public async Task Wrong_content_type_or_encoding_is_415(string? contentType, string? contentEncoding)
    {
        var content = new ByteArrayContent(OtlpRequests.Request(OtlpRequests.Span(OtlpRequests.RandomTraceId(), "x")).ToByteArray());
        if (contentType is not null)
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (contentEncoding is not null)
            content.Headers.ContentEncoding.Add(contentEncoding);

        var response = await PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(contentEncoding is null ? "Content-Type" : "Content-Encoding", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Bad_requests_do_not_affect_good_ones_sent_alongside()
    {
        var goodTraces = Enumerable.Range(0, 20).Select(_ => OtlpRequests.RandomTraceId()).ToList();
        var sends = new List<Task<HttpResponseMessage>>();
        foreach (var traceId in goodTraces)
        {
            sends.Add(PostAsync("/v1/traces", Protobuf(OtlpRequests.Request(OtlpRequests.Span(traceId, "good")).ToByteArray())));
            sends.Add(PostAsync("/v1/traces", Protobuf([0x0a, 0x05, 0xff])));
        }
        var responses = await Task.WhenAll(sends);

        for (var i = 0; i < responses.Length; i++)
            Assert.Equal(i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.BadRequest, responses[i].StatusCode);
        foreach (var traceId in goodTraces)
            Assert.Single((await fixture.GetTraceAsync(OtlpRequests.Hex(traceId))).GetProperty("spans").EnumerateArray());
    }

    [Fact]
    public async Task Grpc_malformed_message_is_invalid_argument()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => CallGrpcAsync([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("not a valid OTLP protobuf", exception.Status.Detail);
    }

    [Fact]
    public async Task Grpc_bad_span_id_is_invalid_argument_and_nothing_is_stored()
    {
        var traceId = OtlpRequests.RandomTraceId();
        var request = OtlpRequests.Request(OtlpRequests.Span(traceId, "good"), OtlpRequests.Span(traceId, "bad", ByteString.Empty));

        var exception = await Assert.ThrowsAsync<RpcException>(() => CallGrpcAsync(request.ToByteArray()));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains("spanId must be 8 bytes", exception.Status.Detail);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.GetTraceStatusAsync(OtlpRequests.Hex(traceId)));
    }

    [Fact]
    public async Task Grpc_message_over_the_limit_is_resource_exhausted()
    {
        var request = OtlpRequests.Request(OtlpRequests.Span(OtlpRequests.RandomTraceId(), new string('x', ServerFixture.MaxRequestBytes)));

        var exception = await Assert.ThrowsAsync<RpcException>(() => CallGrpcAsync(request.ToByteArray()));

        Assert.Equal(StatusCode.ResourceExhausted, exception.StatusCode);
    }

    [Fact]
    public async Task Otlp_paths_are_not_served_on_the_api_port()
    {
        var response = await fixture.Api.PostAsync("/v1/traces", Protobuf(OtlpRequests.Request().ToByteArray()), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task CallGrpcAsync(byte[] body)
    {
        using var channel = GrpcChannel.ForAddress(fixture.OtlpGrpcEndpoint, new GrpcChannelOptions { MaxSendMessageSize = null });
        var raw = Marshallers.Create<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", raw, raw);
        await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(cancellationToken: Ct), body);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            gzip.Write(bytes);
        return output.ToArray();
    }
}
