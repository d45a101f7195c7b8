using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Threadline.Server;

namespace Threadline.Analysis.Tests;

/// <summary>
/// A server module that only adds a logger provider keeping every line the server logs (message, exception and
/// structured values), so a test can look for what must never be logged.
/// </summary>
internal sealed class LogCapture : IServerModule, ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void ConfigureServices(IServiceCollection services, ThreadlineServerOptions options) => services.AddSingleton<ILoggerProvider>(this);

    public IEndpointConventionBuilder MapEndpoints(WebApplication app) => new RouteGroupBuilderConventions();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class RouteGroupBuilderConventions : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
        }
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            capture.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}
