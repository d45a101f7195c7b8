using Amazon.Runtime.Internal;

namespace Threadline.Tracer.Aws;

/// <summary>Adds <see cref="AwsTracingHandler"/> to the pipeline of every AWS service client, present and future.</summary>
internal sealed class AwsPipelineCustomizer : IRuntimePipelineCustomizer
{
    private static int s_installed;

    public string UniqueName => "Threadline.Tracer";

    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
            RuntimePipelineCustomizerRegistry.Instance.Register(new AwsPipelineCustomizer());
    }

    /// <summary>For tests: clients created afterwards are no longer customized.</summary>
    internal static void Uninstall()
    {
        RuntimePipelineCustomizerRegistry.Instance.Deregister("Threadline.Tracer");
        Interlocked.Exchange(ref s_installed, 0);
    }

    // Outside the marshaller: one span per logical call (retries included), and the request can still be
    // changed (in-band trace context) before it is marshalled.
    // Inside it, the marshalled body is kept for the span (the SDK drops it after sending).
    public void Customize(Type type, RuntimePipeline pipeline)
    {
        pipeline.AddHandlerBefore<Marshaller>(new AwsTracingHandler());
        pipeline.AddHandlerAfter<Marshaller>(new AwsWireCaptureHandler());
    }
}
