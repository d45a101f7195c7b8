using System.Diagnostics;
using Threadline.Tracer.Scrubbing;
using Threadline.Tracer.Triggers;

namespace Threadline.Tracer.Invocation;

/// <summary>Opens the invocation span: context, trigger (keys read from the raw event before any scrubbing), tags, links.</summary>
internal static class InvocationStarter
{
    public static InvocationScope? Start<TEvent>(TracedFunction function, ref TEvent input, object? context)
    {
        var info = LambdaContextReader.Read(context);
        var pipeline = function.Pipeline(info);
        var identity = function.Identity!;
        var options = function.Options;
        var eventBytes = PayloadCapture.Bytes(ref input);
        var trigger = TriggerParser.Parse(eventBytes ?? [], info.RequestId);
        var cold = function.TakeColdStart();
        if (options.CaptureLogs)
            Logs.ConsoleCapture.Install();

        var tags = new ActivityTagsCollection
        {
            ["faas.name"] = identity.Name,
            ["faas.coldstart"] = cold,
            ["faas.trigger"] = trigger.FaasTrigger,
            ["threadline.trigger.kind"] = trigger.Kind,
        };
        Add(tags, "faas.version", identity.Version);
        Add(tags, "faas.invocation_id", info.RequestId);
        Add(tags, "cloud.resource_id", info.InvokedFunctionArn);
        Add(tags, "cloud.region", identity.Region);
        if (identity.MemoryMb is int mb)
            tags["faas.max_memory"] = (long)mb * 1024 * 1024;
        if (info.RemainingTime is { } remaining)
            tags["faas.timeout_remaining_ms"] = (long)remaining.TotalMilliseconds;
        Add(tags, "threadline.trigger.resource", trigger.Resource);
        if (trigger.Keys.Count > 0)
            tags["threadline.trigger.keys"] = trigger.Keys.ToArray();
        if (trigger.Times is { Count: > 0 } times)
            tags["threadline.trigger.times"] = times.ToArray();
        if (trigger.Retry)
            tags["threadline.trigger.retry"] = true;

        // The invocation is a root span: producers are reached through keys and links, never as parents.
        Activity.Current = null;
        var activity = pipeline.Source.StartActivity(identity.Name, trigger.SpanKind, default(ActivityContext), tags, trigger.Links);
        if (activity is null)
            return null;
        var scope = new InvocationScope(function, pipeline, activity);
        if (eventBytes is not null)
            scope.BatchItems = Batches.BatchItems.Of(eventBytes, trigger.Kind);
        if (cold && options.CaptureEnvironment)
            SpanPayloads.Set(activity, "threadline.environment", function.ScrubbedEnvironment(), scope.Budget, error: false);
        if (options.CapturePayloads && eventBytes is not null)
            scope.SetEvent(function.Scrubber.ScrubText(Scrubber.AsText(eventBytes) ?? $"[binary {eventBytes.Length} bytes]"));
        if (info.RemainingTime is { } left)
            scope.ArmDeadline(left);
        return scope;
    }

    private static void Add(ActivityTagsCollection tags, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            tags[name] = value;
    }
}
