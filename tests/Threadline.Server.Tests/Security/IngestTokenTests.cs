using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Threadline.Server.Security;
using RpcStatus = Threadline.Ingest.Protocol.Rpc.Status;

namespace Threadline.Server.Tests.Security;

/// <summary>Ingest tokens on OTLP/HTTP and OTLP/gRPC: the right one stores, any other stores nothing.</summary>
[Collection(SecuredServerCollection.Name)]
public sealed class IngestTokenTests(SecuredServer fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Authorization", "Bearer ")]
    [InlineData(AuthSchemes.TokenHeader, "")]
    public async Task Otlp_http_with_the_ingest_token_is_stored(string header, string prefix)
    {
        var (traceId, body) = NewRequest();

        using var response = await PostAsync(body, (header, prefix + fixture.IngestToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(traceId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer tl_ingest_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer ")]
    [InlineData("Basic YWxpY2U6cGFzc3dvcmQ=")]
    [InlineData("api-token")]
    public async Task Otlp_http_without_a_valid_ingest_token_is_401_with_a_status_body_and_nothing_is_stored(string? authorization)
    {
        var (traceId, body) = NewRequest();
        var value = authorization == "api-token" ? "Bearer " + fixture.ApiToken : authorization;

        using var response = await PostAsync(body, value is null ? null : ("Authorization", value));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var status = RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(16, status.Code);
        Assert.Contains("token", status.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, await TraceStatusAsync(traceId));
    }

    [Fact]
    public async Task Otlp_http_json_gets_a_json_status_body()
    {
        using var client = new HttpClient { BaseAddress = fixture.OtlpHttpAddress };
        using var response = await client.PostAsync(new Uri("/v1/logs", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(16, body.RootElement.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_revoked_token_is_refused_from_the_next_request()
    {
        var token = fixture.Auth.CreateToken("short-lived-" + Guid.NewGuid().ToString("n")[..8], TokenKind.Ingest);
        var (before, firstBody) = NewRequest();
        using (var accepted = await PostAsync(firstBody, ("Authorization", "Bearer " + token)))
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        fixture.Auth.Revoke(fixture.Auth.Read().Tokens.Single(t => t.Sha256 == TokenSecrets.Hash(token)).Name);
        var (after, secondBody) = NewRequest();
        using var refused = await PostAsync(secondBody, ("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(before));
        Assert.Equal(HttpStatusCode.NotFound, await TraceStatusAsync(after));
    }

    [Fact]
    public async Task Otlp_grpc_without_a_valid_token_is_unauthenticated_and_with_one_is_stored()
    {
        var (refusedTrace, refusedBody) = NewRequest();
        var missing = await Assert.ThrowsAsync<RpcException>(() => CallGrpcAsync(refusedBody, null));
        var wrong = await Assert.ThrowsAsync<RpcException>(() => CallGrpcAsync(refusedBody, new Metadata { { "authorization", "Bearer tl_ingest_nope" } }));
        var (acceptedTrace, acceptedBody) = NewRequest();
        await CallGrpcAsync(acceptedBody, new Metadata { { "x-threadline-token", fixture.IngestToken } });

        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Contains("not valid", wrong.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await TraceStatusAsync(refusedTrace));
        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(acceptedTrace));
    }

    [Fact]
    public async Task Zipkin_takes_the_same_ingest_tokens()
    {
        var traceId = OtlpRequests.Hex(OtlpRequests.RandomTraceId());
        var body = $$"""[{"traceId":"{{traceId}}","id":"4abb5ab97e3ba76c","name":"z","timestamp":1795663953619000,"duration":1}]""";
        using var client = new HttpClient { BaseAddress = fixture.ZipkinAddress };
        async Task<HttpStatusCode> PostAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/spans") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(fixture.ApiToken));
        Assert.Equal(HttpStatusCode.NotFound, await TraceStatusAsync(traceId));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(fixture.IngestToken));
        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(traceId));
    }

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf, "Authorization=Bearer ")]
    [InlineData(OtlpExportProtocol.Grpc, "X-Threadline-Token=")]
    public async Task The_opentelemetry_sdk_with_the_token_header_configured_delivers(OtlpExportProtocol protocol, string header)
    {
        var delivered = ExportOneSpan(protocol, header + fixture.IngestToken);
        var refused = ExportOneSpan(protocol, headers: null);

        Assert.Equal(HttpStatusCode.OK, await TraceStatusAsync(delivered));
        Assert.Equal(HttpStatusCode.NotFound, await TraceStatusAsync(refused));
    }

    private string ExportOneSpan(OtlpExportProtocol protocol, string? headers)
    {
        var sourceName = "threadline.security.tests." + Guid.NewGuid().ToString("n");
        using var source = new ActivitySource(sourceName);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("secured"))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Protocol = protocol;
                o.Endpoint = protocol == OtlpExportProtocol.Grpc ? fixture.OtlpGrpcAddress : new Uri(fixture.OtlpHttpAddress, "/v1/traces");
                o.ExportProcessorType = ExportProcessorType.Simple;
                o.Headers = headers;
            })
            .Build();
        string traceId;
        using (var activity = source.StartActivity("POST /orders", ActivityKind.Server)!)
            traceId = activity.TraceId.ToHexString();
        provider.ForceFlush(10_000);
        return traceId;
    }

    private static (string TraceId, byte[] Body) NewRequest()
    {
        var traceId = OtlpRequests.RandomTraceId();
        return (OtlpRequests.Hex(traceId), OtlpRequests.Request("secured", OtlpRequests.Span(traceId, "GET /")).ToByteArray());
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, (string Name, string Value)? header)
    {
        using var client = new HttpClient { BaseAddress = fixture.OtlpHttpAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        if (header is { } h)
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        return await client.SendAsync(request, Ct);
    }

    private async Task CallGrpcAsync(byte[] body, Metadata? headers)
    {
        using var channel = GrpcChannel.ForAddress(fixture.OtlpGrpcAddress);
        var raw = Marshallers.Create<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", raw, raw);
        await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(headers, cancellationToken: Ct), body);
    }

    /// <summary>Whether the trace is stored, asked with the API token.</summary>
    private async Task<HttpStatusCode> TraceStatusAsync(string traceId)
    {
        using var api = new HttpClient { BaseAddress = fixture.ApiAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.ApiToken);
        using var response = await api.GetAsync(new Uri($"/api/traces/{traceId}", UriKind.Relative), Ct);
        return response.StatusCode;
    }
}
