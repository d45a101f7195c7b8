using System.Diagnostics.Tracing;

namespace Threadline.Tracer.Diagnostics;

/// <summary>Self-diagnostics: the tracer reports its own faults here, never on the function's output.</summary>
[EventSource(Name = "Threadline-Tracer")]
internal sealed class TracerEventSource : EventSource
{
    public static readonly TracerEventSource Log = new();

    [Event(1, Level = EventLevel.Warning, Message = "Tracer hook failed: {0}: {1}")]
    public void HookFailed(string type, string message) => WriteEvent(1, type, message);

    [Event(2, Level = EventLevel.Warning, Message = "Flush did not finish within {0} ms")]
    public void FlushTimedOut(int budgetMs) => WriteEvent(2, budgetMs);
}
