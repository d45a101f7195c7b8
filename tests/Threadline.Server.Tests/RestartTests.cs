using Google.Protobuf;
using System.Net.Http.Headers;

namespace Threadline.Server.Tests;

/// <summary>Data written before a stop is there after a start on the same data folder.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly ServerFixture _fixture = new();

    public async ValueTask InitializeAsync() => await _fixture.InitializeAsync();

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Spans_survive_a_restart_on_the_same_folder()
    {
        var traceId = OtlpRequests.RandomTraceId();
        var content = new ByteArrayContent(OtlpRequests.Request(OtlpRequests.Span(traceId, "before-restart"), OtlpRequests.Span(traceId, "sibling")).ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        var response = await _fixture.OtlpHttp.PostAsync("/v1/traces", content, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var before = (await _fixture.GetTraceAsync(OtlpRequests.Hex(traceId))).GetRawText();

        await _fixture.StopAsync();
        await _fixture.StartAsync();

        var after = (await _fixture.GetTraceAsync(OtlpRequests.Hex(traceId))).GetRawText();
        Assert.Equal(before, after);
        Assert.Contains("before-restart", after);
    }
}
