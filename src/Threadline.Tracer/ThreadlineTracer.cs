using Microsoft.Extensions.Logging;
using Threadline.Tracer.Configuration;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Export;
using Threadline.Tracer.Invocation;
using Threadline.Tracer.Logs;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Tracer;

/// <summary>
/// Traces a Lambda handler. One line: <c>ThreadlineTracer.Default.InvokeAsync(input, context, Handler)</c>, or keep a
/// wrapped delegate from <see cref="Wrap{TEvent,TContext,TResult}(Func{TEvent,TContext,Task{TResult}})"/>. Every AWS SDK
/// and HttpClient call, ILogger entry and Console line made during the invocation is attached to it.
/// Several functions in one process: one <see cref="Create"/> per function, each with its own identity.
/// </summary>
public sealed partial class ThreadlineTracer : IDisposable
{
    private static readonly Lazy<ThreadlineTracer> DefaultTracer = new(() => Create(ThreadlineOptions.FromEnvironment()));
    private readonly TracedFunction? _function;

    internal ThreadlineTracer(ThreadlineOptions options, ExportTargets targets, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (!options.Enabled)
            return;
        _function = new TracedFunction(options, targets, env);
        GlobalHooks.Install(options);
    }

    /// <summary>The tracer of the process's function, configured from the environment.</summary>
    public static ThreadlineTracer Default => DefaultTracer.Value;

    /// <summary>The provider to add to the function's logging (<c>builder.AddProvider(ThreadlineTracer.LoggerProvider)</c>).</summary>
    public static ILoggerProvider LoggerProvider => ThreadlineLoggerProvider.Instance;

    public ThreadlineOptions Options { get; }

    /// <summary>A tracer for one function; use one per function identity.</summary>
    public static ThreadlineTracer Create(ThreadlineOptions options) =>
        new(options, ExportTargets.Otlp, EnvironmentOptions.Process);

    public void Dispose() => _function?.Dispose();

    private InvocationScope? Begin<TEvent>(ref TEvent input, object? context)
    {
        if (_function is null)
            return null;
        var function = _function;
        var local = input;
        var scope = Guard.Get("begin", () => InvocationStarter.Start(function, ref local, context), null);
        input = local;
        if (scope is not null)
            InvocationScope.SetCurrent(scope);
        return scope;
    }

    private static void RecordResult<TResult>(InvocationScope scope, ref TResult result)
    {
        var capture = scope.Options.CapturePayloads;
        if (result is NoResult || (!capture && scope.BatchItems is null))
            return;
        var local = result;
        Guard.Run("result", () =>
        {
            var bytes = PayloadCapture.Bytes(ref local);
            if (bytes is null)
                return;
            if (scope.BatchItems is { } items && items.FailedKeys(bytes, out var failedRecords) is { Count: > 0 } failedKeys)
                scope.SetRecordsFailed(failedKeys, failedRecords, items.Count);
            if (capture)
                scope.SetResponse(scope.Scrubber.ScrubText(Scrubber.AsText(bytes) ?? $"[binary {bytes.Length} bytes]"));
        });
        result = local;
    }

    private static void End(InvocationScope scope)
    {
        if (Guard.Get("finish", () => scope.Finish(), false))
            scope.Pipeline.Flush(scope.Options.FlushBudget);
    }
}
