using System.Text.Json.Nodes;
using Threadline.Sandbox.Functions;

namespace Threadline.Sandbox.Tests;

public sealed class FunctionHostTests
{
    [Fact]
    public async Task ColdStartsOnFirstInvocationAfterIdleReclaimAndAfterANewVersion()
    {
        var clock = new ManualClock();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { TimeProvider = clock, IdleTimeout = TimeSpan.FromMinutes(5) });
        var inits = 0;
        sandbox.Functions.Deploy(new FunctionDefinition("f", () =>
        {
            inits++;
            return (_, context) => Task.FromResult<JsonNode?>(context.FunctionVersion);
        }));

        var first = await sandbox.Functions.InvokeAsync("f", null);
        var warm = await sandbox.Functions.InvokeAsync("f", null);
        clock.Advance(TimeSpan.FromMinutes(6));
        var afterIdle = await sandbox.Functions.InvokeAsync("f", null);
        var v2 = sandbox.Functions.Deploy(new FunctionDefinition("f", (_, context) => Task.FromResult<JsonNode?>(context.FunctionVersion)));
        var afterDeploy = await sandbox.Functions.InvokeAsync("f", null);

        Assert.Equal([true, false, true, true], new[] { first, warm, afterIdle, afterDeploy }.Select(r => r.ColdStart));
        Assert.Equal(2, inits);
        Assert.Equal("2", v2.Version);
        Assert.Equal(["1", "1", "1", "2"], new[] { first, warm, afterIdle, afterDeploy }.Select(r => r.Response!.GetValue<string>()));
    }

    [Fact]
    public async Task ConcurrentInvocationsEachGetTheirOwnEnvironment()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var release = new TaskCompletionSource();
        sandbox.Functions.Deploy(new FunctionDefinition("f", async (_, _) =>
        {
            await release.Task;
            return null;
        }));

        var both = new[] { sandbox.Functions.InvokeAsync("f", null), sandbox.Functions.InvokeAsync("f", null) };
        release.SetResult();
        var results = await Task.WhenAll(both);

        Assert.All(results, r => Assert.True(r.ColdStart));
        Assert.False((await sandbox.Functions.InvokeAsync("f", null)).ColdStart);
    }

    [Fact]
    public async Task ContextCarriesIdentityMemoryAndTheRemainingTimeOfTheTimeout()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { Region = "eu-west-1", AccountId = "123456789012" });
        ILambdaContext? seen = null;
        var remaining = TimeSpan.Zero;
        sandbox.Functions.Deploy(new FunctionDefinition("process-payment", (_, context) =>
        {
            seen = context;
            remaining = context.RemainingTime;
            return Task.FromResult<JsonNode?>(null);
        })
        { MemoryMb = 512, Timeout = TimeSpan.FromSeconds(30) });

        var record = await sandbox.Functions.InvokeAsync("process-payment", new JsonObject());

        Assert.NotNull(seen);
        Assert.Equal(record.RequestId, seen.AwsRequestId);
        Assert.Equal("process-payment", seen.FunctionName);
        Assert.Equal("1", seen.FunctionVersion);
        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:process-payment", seen.InvokedFunctionArn);
        Assert.Equal(512, seen.MemoryLimitInMB);
        Assert.Equal("/aws/lambda/process-payment", seen.LogGroupName);
        Assert.InRange(remaining, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task HandlerRunningPastItsTimeoutFailsAndItsEnvironmentIsNotReused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var never = new TaskCompletionSource<JsonNode?>();
        var calls = 0;
        sandbox.Functions.Deploy(new FunctionDefinition("aggregate", (_, _) => ++calls == 1 ? never.Task : Task.FromResult<JsonNode?>(null))
        {
            Timeout = TimeSpan.FromMilliseconds(100),
        });

        var timedOut = await sandbox.Functions.InvokeAsync("aggregate", null);
        var next = await sandbox.Functions.InvokeAsync("aggregate", null);

        Assert.Equal("Sandbox.Timedout", timedOut.Error?.ErrorType);
        Assert.Contains("Task timed out after 0.10 seconds", timedOut.Error!.ErrorMessage, StringComparison.Ordinal);
        Assert.True(next.ColdStart);
        Assert.False(next.Failed);
    }

    [Fact]
    public async Task FailedEventInvocationIsRetriedTwiceWithTheSameRequestId()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { AsyncRetryDelay = TimeSpan.FromMilliseconds(10) });
        sandbox.Functions.Deploy(new FunctionDefinition("f", (_, _) => throw new InvalidOperationException("always")));

        var requestId = sandbox.Functions.InvokeEvent("f", new JsonObject());
        var attempts = await sandbox.Functions.Invocations.WaitUntilAsync(all => all.Count >= 3, TestSandbox.Deadline, TestContext.Current.CancellationToken);

        Assert.All(attempts, a => Assert.Equal(requestId, a.RequestId));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => Assert.Equal("InvalidOperationException", a.Error?.ErrorType));
    }

    [Fact]
    public async Task EventInvocationWhoseRetriesAreSpentSendsItsInvocationRecordToTheOnFailureDestination()
    {
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions { AsyncRetryDelay = TimeSpan.FromMilliseconds(10) });
        sandbox.Functions.Deploy(new FunctionDefinition("f", (input, _) => input!["fail"]!.GetValue<bool>() ? throw new InvalidOperationException("always") : Task.FromResult<JsonNode?>(null)));
        var queue = sandbox.Sqs.CreateQueue("f-failures");
        Assert.Throws<AwsException>(() => sandbox.Functions.SetAsyncOnFailureDestination("f", sandbox.Arns.Queue("missing")));
        sandbox.Functions.SetAsyncOnFailureDestination("f", sandbox.Arns.Queue("f-failures"));

        sandbox.Functions.InvokeEvent("f", new JsonObject { ["fail"] = false });
        var requestId = sandbox.Functions.InvokeEvent("f", new JsonObject { ["fail"] = true });
        await sandbox.Functions.Invocations.WaitUntilAsync(all => all.Count(a => a.RequestId == requestId) == 3, TestSandbox.Deadline, TestContext.Current.CancellationToken);

        using var sqs = AwsClients.Sqs(sandbox);
        var received = await sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = queue, MaxNumberOfMessages = 10, WaitTimeSeconds = 5 },
            TestContext.Current.CancellationToken);
        var record = JsonNode.Parse(Assert.Single(received.Messages).Body)!;
        Assert.Equal(requestId, record["requestContext"]!["requestId"]!.GetValue<string>());
        Assert.Equal("RetriesExhausted", record["requestContext"]!["condition"]!.GetValue<string>());
        Assert.Equal(3, record["requestContext"]!["approximateInvokeCount"]!.GetValue<int>());
        Assert.True(record["requestPayload"]!["fail"]!.GetValue<bool>());
        Assert.Equal("InvalidOperationException", record["responsePayload"]!["errorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task HandlerWrapperIsAppliedOncePerEnvironmentWithTheFunctionsIdentity()
    {
        var wrapped = new List<FunctionVersionInfo>();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            HandlerWrapper = (handler, function) =>
            {
                wrapped.Add(function);
                return async (input, context) => new JsonObject { ["wrapped"] = await handler(input, context) };
            },
        });
        sandbox.Functions.Deploy(new FunctionDefinition("f", (_, _) => Task.FromResult<JsonNode?>("inner")));

        var first = await sandbox.Functions.InvokeAsync("f", null);
        await sandbox.Functions.InvokeAsync("f", null);

        Assert.Equal("""{"wrapped":"inner"}""", first.Response!.ToJsonString());
        Assert.Equal("f", Assert.Single(wrapped).Name);
    }
}
