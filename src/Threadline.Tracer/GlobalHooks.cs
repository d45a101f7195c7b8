using Threadline.Tracer.Aws;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Http;
using Threadline.Tracer.Logs;

namespace Threadline.Tracer;

/// <summary>
/// The process-wide hooks, installed once by the first enabled tracer: the AWS SDK pipeline customizer, the
/// HttpClient diagnostic observer and the Console writers. They act only inside an invocation, for its function.
/// </summary>
internal static class GlobalHooks
{
    public static void Install(ThreadlineOptions options)
    {
        if (options.CaptureAws)
            Guard.Run("install.aws", AwsPipelineCustomizer.Install);
        if (options.CaptureHttp)
            Guard.Run("install.http", HttpDiagnosticObserver.Install);
        if (options.CaptureLogs)
            Guard.Run("install.console", ConsoleCapture.Install);
    }
}
