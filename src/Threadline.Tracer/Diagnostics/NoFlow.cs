namespace Threadline.Tracer.Diagnostics;

/// <summary>Runs code that starts threads, timers or tasks without flowing the invocation's async-local state into them.</summary>
internal static class NoFlow
{
    public static T Run<T>(Func<T> func)
    {
        if (ExecutionContext.IsFlowSuppressed())
            return func();
        using (ExecutionContext.SuppressFlow())
            return func();
    }
}
