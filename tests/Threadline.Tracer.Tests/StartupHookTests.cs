using Threadline.Tracer.Tests.Support;

namespace Threadline.Tracer.Tests;

public sealed class StartupHookTests
{
    [Fact]
    public async Task Startup_hook_installs_the_aws_hook_for_clients_created_before_any_tracer()
    {
        await using var aws = await FakeAws.StartAsync();
        Aws.AwsPipelineCustomizer.Uninstall();
        StartupHook.Initialize();
        using var sqs = aws.Sqs();
        using var harness = TracerHarness.Create();

        await harness.Tracer.InvokeAsync("{}", new FakeLambdaContext(), async (_, _) => await sqs.SendMessageAsync(aws.QueueUrl("orders"), "hi"));

        Assert.Equal(["sqs:msg:" + aws.MessageIds.Single()], harness.Children.Single().Strings("threadline.outbound.keys"));
    }
}
