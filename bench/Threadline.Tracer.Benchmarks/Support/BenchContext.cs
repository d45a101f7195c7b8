namespace Threadline.Tracer.Benchmarks.Support;

/// <summary>Shaped like ILambdaContext.</summary>
public sealed class BenchContext
{
    public string AwsRequestId { get; } = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

    public string FunctionName => "bench-fn";

    public string FunctionVersion => "1";

    public string InvokedFunctionArn => "arn:aws:lambda:eu-west-1:123456789012:function:bench-fn";

    public int MemoryLimitInMB => 512;

    public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
}
