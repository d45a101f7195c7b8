using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Invocation;

namespace Threadline.Tracer.Export;

/// <summary>
/// One function's telemetry pipeline: its own ActivitySource (a unique name, so functions sharing a process
/// never see each other's spans), a TracerProvider and a LoggerFactory with the function's resource, and a
/// bounded flush.
/// </summary>
internal sealed class ExportPipeline : IDisposable
{
    private static int s_count;
    private readonly TracerProvider _tracerProvider;
    private readonly BaseProcessor<LogRecord> _logProcessor;
    private readonly ILoggerFactory _loggerFactory;
    private int _logsSinceFlush;

    private ExportPipeline(ActivitySource source, TracerProvider tracerProvider, BaseProcessor<LogRecord> logProcessor, ILoggerFactory loggerFactory)
    {
        Source = source;
        _tracerProvider = tracerProvider;
        _logProcessor = logProcessor;
        _loggerFactory = loggerFactory;
        ConsoleLogger = loggerFactory.CreateLogger("Console");
    }

    public ActivitySource Source { get; }

    public ILogger ConsoleLogger { get; }

    public ILogger CreateLogger(string category) => _loggerFactory.CreateLogger(category);

    /// <summary>Called for every log entry written, so a flush knows whether logs wait.</summary>
    public void NoteLog() => Interlocked.Increment(ref _logsSinceFlush);

    // The export threads must not inherit the invocation's async-local state (they would trace their own HTTP calls).
    public static ExportPipeline Create(ThreadlineOptions options, FunctionIdentity identity, ExportTargets targets) =>
        NoFlow.Run(() => Build(options, identity, targets));

    private static ExportPipeline Build(ThreadlineOptions options, FunctionIdentity identity, ExportTargets targets)
    {
        var name = $"Threadline.Tracer.{Interlocked.Increment(ref s_count)}.{identity.Name}";
        var source = new ActivitySource(name, typeof(ExportPipeline).Assembly.GetName().Version?.ToString());
        var resource = Resource(identity);
        var tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .SetSampler(new AlwaysOnSampler())
            .AddSource(name)
            .AddProcessor(new FlushingSpanProcessor(targets.CreateTraceExporter(options)))
            .Build();
        var logProcessor = new BatchLogRecordExportProcessor(targets.CreateLogExporter(options));
        var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Trace)
            .AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(resource);
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
                o.AddProcessor(logProcessor);
            }));
        return new ExportPipeline(source, tracerProvider, logProcessor, loggerFactory);
    }

    /// <summary>
    /// Flushes spans, then logs, within <paramref name="budget"/> in total; never throws. The processors' own
    /// flush waits are bounded, so this runs on the caller's thread (no thread-pool hop, which would queue
    /// behind a busy pool).
    /// </summary>
    public void Flush(TimeSpan budget)
    {
        var watch = Stopwatch.StartNew();
        var traced = Guard.Get("flush.traces", () => _tracerProvider.ForceFlush(Millis(budget)), false);
        var left = budget - watch.Elapsed;
        // The log processor is the SDK's batch processor (log records are pooled); flush it only when needed.
        var logged = Interlocked.Exchange(ref _logsSinceFlush, 0) == 0
            || (left > TimeSpan.Zero && Guard.Get("flush.logs", () => _logProcessor.ForceFlush(Millis(left)), false));
        if (!traced || !logged)
            TracerEventSource.Log.FlushTimedOut((int)budget.TotalMilliseconds);
    }

    private static int Millis(TimeSpan span) => (int)Math.Max(1, span.TotalMilliseconds);

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _tracerProvider.Dispose();
        _logProcessor.Dispose();
        Source.Dispose();
    }

    private static ResourceBuilder Resource(FunctionIdentity identity)
    {
        var attributes = new List<KeyValuePair<string, object>>
        {
            new("cloud.provider", "aws"),
            new("cloud.platform", "aws_lambda"),
            new("faas.name", identity.Name),
        };
        if (identity.Version is not null)
            attributes.Add(new("faas.version", identity.Version));
        if (identity.Region is not null)
            attributes.Add(new("cloud.region", identity.Region));
        if (identity.MemoryMb is int mb)
            attributes.Add(new("faas.max_memory", (long)mb * 1024 * 1024));
        if (identity.LogStream is not null)
            attributes.Add(new("faas.instance", identity.LogStream));
        if (HostArchitecture.Current is { } architecture)
            attributes.Add(new("host.arch", architecture));
        return ResourceBuilder.CreateEmpty()
            .AddService(identity.Name, serviceVersion: identity.Version, autoGenerateServiceInstanceId: true)
            .AddTelemetrySdk()
            .AddAttributes(attributes);
    }
}
