namespace Threadline.Sandbox.Functions;

/// <summary>
/// What a hosted function sees of its invocation: the properties of Amazon.Lambda.Core's ILambdaContext
/// (that package is not available here), with the same names and meanings.
/// </summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }
    string FunctionName { get; }
    string FunctionVersion { get; }
    string InvokedFunctionArn { get; }
    int MemoryLimitInMB { get; }
    TimeSpan RemainingTime { get; }
    string LogGroupName { get; }
    string LogStreamName { get; }
}
