using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

/// <summary>Third-party HttpClient calls, with no per-client setup.</summary>
public sealed class HttpCaptureTests : IAsyncLifetime
{
    private readonly TracerHarness _harness = TracerHarness.Create();
    private LocalServer _api = null!;

    public async ValueTask InitializeAsync() => _api = await LocalServer.StartAsync(async (request, context) =>
    {
        context.Response.Headers["x-amzn-RequestId"] = "apigw-7f3c";
        context.Response.Headers["Set-Cookie"] = "sid=abc";
        context.Response.StatusCode = request.PathAndQuery.StartsWith("/fail", StringComparison.Ordinal) ? 500 : 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"id":"pay_1","client_secret":"cs_live_123"}""");
    });

    public async ValueTask DisposeAsync()
    {
        _harness.Dispose();
        await _api.DisposeAsync();
    }

    private Activity HttpSpan => _harness.Children.Single(a => a.GetTagItem("http.request.method") is not null);

    [Fact]
    public async Task Third_party_call_records_method_url_status_payloads_and_propagates_traceparent()
    {
        using var client = new HttpClient();

        var body = await _harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) =>
        {
            using var content = new StringContent("""{"amount":100,"card":{"cvc":"123","password":"p"}}""", Encoding.UTF8, "application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_api.Url, "/v1/payments?expand=all&access_token=tok_9")) { Content = content };
            request.Headers.Authorization = new("Bearer", "sk_live_1");
            using var response = await client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        });

        Assert.Equal("""{"id":"pay_1","client_secret":"cs_live_123"}""", body);
        var span = HttpSpan;
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(_harness.Invocation.SpanId, span.ParentSpanId);
        Assert.Equal("POST", span.Str("http.request.method"));
        Assert.Equal("127.0.0.1", span.Str("server.address"));
        Assert.Equal("/v1/payments", span.Str("url.path"));
        Assert.Equal($"{_api.Url.GetLeftPart(UriPartial.Authority)}/v1/payments?expand=all&access_token=[scrubbed]", span.Str("url.full"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("""{"amount":100,"card":{"cvc":"123","password":"[scrubbed]"}}""", span.Str("threadline.request"));
        Assert.Equal("""{"id":"pay_1","client_secret":"[scrubbed]"}""", span.Str("threadline.response"));
        Assert.Equal(["apigw:req:apigw-7f3c"], span.Strings("threadline.outbound.keys"));
        var headers = JsonDocument.Parse(span.Str("threadline.request.headers")!).RootElement;
        Assert.Equal("[scrubbed]", headers.GetProperty("Authorization").GetString());
        Assert.Equal("[scrubbed]", JsonDocument.Parse(span.Str("threadline.response.headers")!).RootElement.GetProperty("Set-Cookie").GetString());
        var received = _api.Requests.Single();
        Assert.Equal($"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-01", received.Header("traceparent"));
        _harness.AssertNoHookFailed();
    }

    [Fact]
    public async Task Server_error_marks_the_span_as_failed_and_the_handler_still_gets_the_response()
    {
        using var client = new HttpClient();

        var status = await _harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) =>
        {
            using var response = await client.GetAsync(new Uri(_api.Url, "/fail"));
            return response.StatusCode;
        });

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(ActivityStatusCode.Error, HttpSpan.Status);
        Assert.Equal(500, HttpSpan.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Unreachable_host_is_an_error_span_and_the_exception_reaches_the_handler_unchanged()
    {
        using var client = new HttpClient();
        var closed = await ClosedPort.FindAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => _harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) =>
            await client.GetStringAsync(closed)));

        Assert.Equal(ActivityStatusCode.Error, HttpSpan.Status);
        Assert.Contains(HttpSpan.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task A_response_body_never_read_still_ends_with_the_invocation()
    {
        using var client = new HttpClient();

        await _harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) =>
        {
            var response = await client.GetAsync(new Uri(_api.Url, "/ok"), HttpCompletionOption.ResponseHeadersRead);
            return (int)response.StatusCode;
        });

        Assert.Equal(200, HttpSpan.GetTagItem("http.response.status_code"));
        Assert.True(HttpSpan.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Calls_outside_an_invocation_are_not_recorded()
    {
        using var client = new HttpClient();

        await client.GetStringAsync(new Uri(_api.Url, "/ok"), TestContext.Current.CancellationToken);
        await _harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), (_, _) => Task.FromResult(0));

        Assert.Empty(_harness.Children);
    }

    [Fact]
    public async Task Http_capture_can_be_switched_off()
    {
        using var harness = TracerHarness.Create(o => o.CaptureHttp = false);
        using var client = new HttpClient();

        await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) => await client.GetStringAsync(new Uri(_api.Url, "/ok")));

        Assert.Single(harness.Spans.Items);
    }
}
