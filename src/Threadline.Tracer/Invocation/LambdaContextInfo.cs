namespace Threadline.Tracer.Invocation;

/// <summary>What the tracer takes from a Lambda context object (any type shaped like <c>ILambdaContext</c>).</summary>
internal sealed record LambdaContextInfo(
    string? RequestId,
    string? FunctionName,
    string? FunctionVersion,
    string? InvokedFunctionArn,
    int? MemoryLimitInMb,
    TimeSpan? RemainingTime,
    string? LogGroupName,
    string? LogStreamName)
{
    public static readonly LambdaContextInfo Empty = new(null, null, null, null, null, null, null, null);
}
