using System.Net;
using System.Text.Json;

namespace Threadline.Server.Tests;

public sealed class ApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_is_200()
    {
        var response = await fixture.Api.GetAsync("/api/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_trace_is_404_with_a_reason()
    {
        var response = await fixture.Api.GetAsync("/api/traces/0123456789abcdef0123456789abcdef", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("0123456789abcdef0123456789abcdef", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef00")]
    public async Task Malformed_trace_id_is_400(string traceId)
    {
        var response = await fixture.Api.GetAsync($"/api/traces/{traceId}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("32 hexadecimal characters", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task OpenApi_document_describes_the_trace_endpoint()
    {
        var document = JsonDocument.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json", Ct)).RootElement;

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/traces/{traceId}", out var trace));
        Assert.True(trace.GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(paths.TryGetProperty("/api/health", out _));
    }
}
