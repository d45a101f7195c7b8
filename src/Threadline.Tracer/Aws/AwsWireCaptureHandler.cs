using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Threadline.Tracer.Diagnostics;

namespace Threadline.Tracer.Aws;

/// <summary>Runs right after the marshaller: hands the marshalled request to the call's span.</summary>
internal sealed class AwsWireCaptureHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        Capture(executionContext);
        base.InvokeSync(executionContext);
    }

    public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        Capture(executionContext);
        return base.InvokeAsync<T>(executionContext);
    }

    private static void Capture(IExecutionContext context)
    {
        if (AwsCallSpan.Current is { } call && context.RequestContext.Request is { } request)
            Guard.Run("aws.wire", () => call.CaptureWire(request));
    }
}
