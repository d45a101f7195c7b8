using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Threadline.Sandbox.Tests;

public sealed class EndpointTests
{
    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task OneEndpointServesHttp1AndCleartextHttp2WithPriorKnowledge(string version)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, sandbox.Endpoint)
        {
            Version = Version.Parse(version),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("{\"StreamName\":\"s\",\"ShardCount\":1}", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "Kinesis_20131202.CreateStream");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.NotEmpty(response.Headers.GetValues("x-amzn-RequestId"));
    }

    [Fact]
    public async Task UnknownJsonTargetIsAnUnknownOperationError()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, sandbox.Endpoint) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Target", "AmazonSSM.GetParameter");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("UnknownOperationException", body["__type"]!.GetValue<string>());
    }
}
