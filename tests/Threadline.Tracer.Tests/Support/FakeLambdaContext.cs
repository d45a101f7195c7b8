namespace Threadline.Tracer.Tests.Support;

/// <summary>Shaped like Amazon.Lambda.Core's ILambdaContext (which is not available here): read by property name.</summary>
public sealed class FakeLambdaContext
{
    public string AwsRequestId { get; init; } = Guid.NewGuid().ToString();

    public string FunctionName { get; init; } = "orders-handler";

    public string FunctionVersion { get; init; } = "7";

    public string InvokedFunctionArn { get; init; } = "arn:aws:lambda:eu-west-1:123456789012:function:orders-handler";

    public int MemoryLimitInMB { get; init; } = 512;

    public TimeSpan RemainingTime { get; init; } = TimeSpan.FromSeconds(30);

    public string LogGroupName { get; init; } = "/aws/lambda/orders-handler";

    public string LogStreamName { get; init; } = "2026/11/26/[7]abcdef";
}
