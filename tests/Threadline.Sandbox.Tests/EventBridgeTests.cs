using System.Text;
using System.Text.Json.Nodes;
using Threadline.Sandbox.Functions;

namespace Threadline.Sandbox.Tests;

/// <summary>Rules set up through the C# API (there is no .NET EventBridge SDK here), events put on the wire.</summary>
public sealed class EventBridgeTests
{
    [Fact]
    public async Task RuleFromTheCSharpApiMatchesPatternsOnDetailFieldsAndDeliversTheEventId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Functions.Deploy(new FunctionDefinition("update-loyalty", (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.EventBridge.PutRule("big-orders", """{"detail-type":["order-placed"],"detail":{"amount":[{"numeric":[">",100]}],"user":{"vip":[true]},"note":[{"exists":false}]}}""");
        sandbox.EventBridge.PutTarget("big-orders", "loyalty", sandbox.Arns.Function("update-loyalty"));

        var ids = await PutEventsAsync(sandbox,
            """{"amount":150,"user":{"vip":true}}""",
            """{"amount":50,"user":{"vip":true}}""",
            """{"amount":150,"user":{"vip":false}}""",
            """{"amount":150,"user":{"vip":true},"note":"x"}""");

        var invocation = await sandbox.Functions.Invocations.WaitForAsync(_ => true, TestSandbox.Deadline, TestContext.Current.CancellationToken);
        Assert.Equal(ids[0], invocation.Event!["id"]!.GetValue<string>());
        Assert.Single(sandbox.Functions.Invocations.Snapshot());
        Assert.Throws<AwsException>(() => sandbox.EventBridge.PutTarget("big-orders", "missing", sandbox.Arns.Function("nope")));
    }

    /// <summary>PutEvents as the SDKs send it: AWS JSON 1.1, <c>X-Amz-Target: AWSEvents.PutEvents</c>.</summary>
    private static async Task<List<string>> PutEventsAsync(SandboxHost sandbox, params string[] details)
    {
        var entries = new JsonArray([.. details.Select(d => (JsonNode)new JsonObject { ["Source"] = "shop", ["DetailType"] = "order-placed", ["Detail"] = d })]);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, sandbox.Endpoint)
        {
            Content = new StringContent(new JsonObject { ["Entries"] = entries }.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "AWSEvents.PutEvents");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(0, body["FailedEntryCount"]!.GetValue<int>());
        return [.. body["Entries"]!.AsArray().Select(e => e!["EventId"]!.GetValue<string>())];
    }
}
