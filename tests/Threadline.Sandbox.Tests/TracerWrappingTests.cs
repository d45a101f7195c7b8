using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Threadline.Sandbox.Functions;
using Threadline.Sandbox.Mappings;
using Threadline.Tracer;

namespace Threadline.Sandbox.Tests;

public sealed class TracerWrappingTests
{
    [Fact]
    public async Task TracerAppliedThroughTheHandlerWrapperTracesTheFunctionsSdkCalls()
    {
        var tracers = new List<ThreadlineTracer>();
        await using var sandbox = await TestSandbox.StartAsync(new SandboxOptions
        {
            // As a user wraps a handler: one tracer per function instance, its identity from the function.
            HandlerWrapper = (handler, function) =>
            {
                var tracer = ThreadlineTracer.Create(new ThreadlineOptions
                {
                    FunctionName = function.Name,
                    FunctionVersion = function.Version,
                    MemorySizeMb = function.Definition.MemoryMb,
                    Endpoint = new Uri("http://127.0.0.1:9"), // nothing listens: export fails quietly, as the tracer promises
                    FlushBudget = TimeSpan.FromMilliseconds(50),
                    CaptureLogs = false,
                    CaptureEnvironment = false,
                });
                tracers.Add(tracer);
                return (input, context) => tracer.InvokeAsync(input, context, (e, c) => handler(e, c));
            },
        });
        using var sqs = AwsClients.Sqs(sandbox);
        var url = (await sqs.CreateQueueAsync("payments-queue", TestContext.Current.CancellationToken)).QueueUrl;
        sandbox.Functions.Deploy(new FunctionDefinition("process-payment", () =>
        {
            var client = AwsClients.Sqs(sandbox);
            return async (input, _) =>
            {
                var sent = await client.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = input!.ToJsonString() });
                return new JsonObject { ["messageId"] = sent.MessageId };
            };
        }));
        sandbox.Functions.Deploy(new FunctionDefinition("notify", (_, _) => Task.FromResult<JsonNode?>(null)));
        sandbox.Mappings.Add(new EventSourceMappingConfig(sandbox.Arns.Queue("payments-queue"), "notify"));

        try
        {
            var payment = await sandbox.Functions.InvokeAsync("process-payment", new JsonObject { ["amount"] = 5 });
            var record = (await sandbox.WaitForRecordsAsync(r => r.Count >= 1)).Single();

            Assert.False(payment.Failed, payment.Error?.ErrorMessage);
            Assert.Equal(payment.Response!["messageId"]!.GetValue<string>(), record["messageId"]!.GetValue<string>());
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", record["messageAttributes"]!["traceparent"]!["stringValue"]!.GetValue<string>());
            Assert.Equal(2, tracers.Count);
        }
        finally
        {
            tracers.ForEach(t => t.Dispose());
        }
    }
}
