using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Threadline.Tracer.Diagnostics;

namespace Threadline.Tracer.Aws;

/// <summary>The pipeline step: opens a span around the rest of the pipeline; every tracer step is guarded.</summary>
internal sealed class AwsTracingHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        var call = Guard.Get("aws.start", () => AwsCallSpan.Start(executionContext), null);
        if (call is null)
        {
            base.InvokeSync(executionContext);
            return;
        }
        try
        {
            base.InvokeSync(executionContext);
            Guard.Run("aws.success", () => call.Succeeded(executionContext));
        }
        catch (Exception ex) when (Guard.Observe("aws.failure", () => call.Failed(executionContext, ex)))
        {
            throw;
        }
        finally
        {
            call.Dispose();
        }
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        var call = Guard.Get("aws.start", () => AwsCallSpan.Start(executionContext), null);
        if (call is null)
            return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
        try
        {
            var response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            Guard.Run("aws.success", () => call.Succeeded(executionContext));
            return response;
        }
        catch (Exception ex) when (Guard.Observe("aws.failure", () => call.Failed(executionContext, ex)))
        {
            throw;
        }
        finally
        {
            call.Dispose();
        }
    }
}
