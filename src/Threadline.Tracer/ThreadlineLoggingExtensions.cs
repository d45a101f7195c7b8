using Microsoft.Extensions.Logging;

namespace Threadline.Tracer;

/// <summary>Adds the tracer's log provider to the function's logging.</summary>
public static class ThreadlineLoggingExtensions
{
    /// <summary>Entries logged during an invocation are exported as OTLP logs tied to its span.</summary>
    public static ILoggingBuilder AddThreadline(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(ThreadlineTracer.LoggerProvider);
    }
}
