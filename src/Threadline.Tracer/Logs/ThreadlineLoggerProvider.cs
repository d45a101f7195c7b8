using Microsoft.Extensions.Logging;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer.Logs;

/// <summary>
/// An <see cref="ILoggerProvider"/> for the function's own logging: each entry written during an invocation is
/// exported by that invocation's function (with its trace and span ids); entries outside invocations are dropped.
/// </summary>
internal sealed class ThreadlineLoggerProvider : ILoggerProvider
{
    public static readonly ThreadlineLoggerProvider Instance = new();

    public ILogger CreateLogger(string categoryName) => new RoutingLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class RoutingLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => Target()?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && Target() is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (InvocationScope.Current is { IsCompleted: false } scope && scope.Options.CaptureLogs)
            {
                scope.Pipeline.NoteLog();
                var target = scope.Pipeline.CreateLogger(category);
                Diagnostics.Guard.Run("ilogger", () => target.Log(logLevel, eventId, state, exception, formatter));
            }
        }

        private ILogger? Target() =>
            InvocationScope.Current is { IsCompleted: false } scope && scope.Options.CaptureLogs
                ? scope.Pipeline.CreateLogger(category)
                : null;
    }
}
