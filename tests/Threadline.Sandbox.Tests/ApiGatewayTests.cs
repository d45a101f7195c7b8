using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Threadline.Sandbox.ApiGateway;
using Threadline.Sandbox.Functions;

namespace Threadline.Sandbox.Tests;

public sealed class ApiGatewayTests
{
    [Fact]
    public async Task HttpApiRouteDeliversV2EventAndReturnsItsRequestIdAsApigwRequestid()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("process-payment", (input, _) => Task.FromResult<JsonNode?>(new JsonObject
        {
            ["statusCode"] = 201,
            ["headers"] = new JsonObject { ["content-type"] = "application/json" },
            ["body"] = new JsonObject { ["user"] = input!["pathParameters"]!["user"]!.GetValue<string>() }.ToJsonString(),
        })));
        var api = sandbox.ApiGateway.CreateApi("payments").Route("POST /users/{user}/payments", "process-payment");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api.Url, "users/u-7/payments?vip=true"))
        {
            Content = new StringContent("{\"amount\":5}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var invocation = Assert.Single(sandbox.Functions.Invocations.Snapshot());
        var @event = invocation.Event!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("{\"user\":\"u-7\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(@event["requestContext"]!["requestId"]!.GetValue<string>(), Assert.Single(response.Headers.GetValues("apigw-requestid")));
        Assert.Equal("2.0", @event["version"]!.GetValue<string>());
        Assert.Equal("POST /users/{user}/payments", @event["routeKey"]!.GetValue<string>());
        Assert.Equal("/users/u-7/payments", @event["rawPath"]!.GetValue<string>());
        Assert.Equal("true", @event["queryStringParameters"]!["vip"]!.GetValue<string>());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", @event["headers"]!["traceparent"]!.GetValue<string>());
        Assert.Equal("{\"amount\":5}", @event["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task RestApiRouteDeliversV1EventAndReturnsItsRequestIdAsXAmznRequestId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("menu", (_, _) => Task.FromResult<JsonNode?>(new JsonObject { ["statusCode"] = 200, ["body"] = "[\"soup\"]" })));
        var api = sandbox.ApiGateway.CreateApi("app", PayloadFormat.V1).Route("GET /menu", "menu");
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(api.Url, "menu"), TestContext.Current.CancellationToken);
        using var missing = await http.GetAsync(new Uri(api.Url, "nothing"), TestContext.Current.CancellationToken);
        var @event = Assert.Single(sandbox.Functions.Invocations.Snapshot()).Event!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[\"soup\"]", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(@event["requestContext"]!["requestId"]!.GetValue<string>(), Assert.Single(response.Headers.GetValues("x-amzn-RequestId")));
        Assert.Equal("GET", @event["httpMethod"]!.GetValue<string>());
        Assert.Equal("/menu", @event["resource"]!.GetValue<string>());
        Assert.Equal("/prod/menu", @event["requestContext"]!["path"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task FailingFunctionIsA502()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("f", (_, _) => throw new InvalidOperationException("boom")));
        var api = sandbox.ApiGateway.CreateApi("app").Route("ANY /{proxy+}", "f");
        using var http = new HttpClient();

        using var response = await http.DeleteAsync(new Uri(api.Url, "a/b"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("a/b", Assert.Single(sandbox.Functions.Invocations.Snapshot()).Event!["pathParameters"]!["proxy"]!.GetValue<string>());
    }
}
