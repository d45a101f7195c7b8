using System.Diagnostics;
using Threadline.Tracer.Diagnostics;
using Threadline.Tracer.Export;
using Threadline.Tracer.Logs;
using Threadline.Tracer.Scrubbing;

namespace Threadline.Tracer.Invocation;

/// <summary>
/// One running invocation: its span, payload budget, pending child work and console line buffers. It is the
/// async-local "current invocation" that the AWS, HTTP and log hooks attach to. It completes exactly once:
/// when the handler returns or throws, or when the Lambda deadline is near, whichever comes first.
/// </summary>
internal sealed class InvocationScope
{
    private static readonly AsyncLocal<InvocationScope?> CurrentScope = new();
    private readonly Lock _gate = new();
    private readonly List<Action> _onFinish = [];
    private int _completed;
    private Timer? _deadline;
    private string? _event;
    private string? _response;
    private bool _failed;

    public InvocationScope(TracedFunction function, ExportPipeline pipeline, Activity activity)
    {
        Function = function;
        Pipeline = pipeline;
        Activity = activity;
        Budget = function.NewBudget();
        Console = new ConsoleLines(this);
    }

    public static InvocationScope? Current => CurrentScope.Value;

    public TracedFunction Function { get; }

    public ExportPipeline Pipeline { get; }

    public Activity Activity { get; }

    public PayloadBudget Budget { get; }

    public ConsoleLines Console { get; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public Scrubber Scrubber => Function.Scrubber;

    /// <summary>The records of an SQS, Kinesis or DynamoDB Streams event by item identifier (null for other events).</summary>
    public Batches.BatchItems? BatchItems { get; set; }

    public ThreadlineOptions Options => Function.Options;

    public static void SetCurrent(InvocationScope? scope) => CurrentScope.Value = scope;

    public void SetEvent(string? scrubbedEvent) => _event = scrubbedEvent;

    public void SetResponse(string? scrubbedResponse) => _response = scrubbedResponse;

    public void SetError(Exception exception)
    {
        _failed = true;
        SpanPayloads.SetError(Activity, exception);
    }

    /// <summary>
    /// The handler returned a partial batch response naming failed records: Lambda counts the invocation as a success
    /// and retries only those, but the invocation did not do all its work, so its span is an error that names them.
    /// </summary>
    public void SetRecordsFailed(IReadOnlyList<string> failedKeys, int failedRecords, int records)
    {
        _failed = true;
        Activity.SetTag("threadline.trigger.failed_keys", failedKeys.ToArray());
        Activity.SetStatus(ActivityStatusCode.Error, $"{failedRecords} of {records} records reported failed (batchItemFailures)");
    }

    /// <summary>Work to finish with the invocation (e.g. an HTTP span whose body was never read).</summary>
    public void OnFinish(Action action)
    {
        lock (_gate)
            _onFinish.Add(action);
    }

    public void ArmDeadline(TimeSpan remaining)
    {
        var due = remaining - Options.FlushBudget - Options.DeadlineMargin;
        if (due <= TimeSpan.Zero)
            return;
        _deadline = NoFlow.Run(() => new Timer(_ => Guard.Run("deadline", AtDeadline), null, due, Timeout.InfiniteTimeSpan));
    }

    /// <summary>Ends the span (once). Returns false when it was already ended, e.g. by the deadline.</summary>
    public bool Finish(bool timedOut = false)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
            return false;
        _deadline?.Dispose();
        if (timedOut)
        {
            _failed = true;
            Activity.SetTag("threadline.timeout", true);
            Activity.SetStatus(ActivityStatusCode.Error, "Lambda deadline reached before the handler returned");
        }
        Action[] pending;
        lock (_gate)
            pending = [.. _onFinish];
        foreach (var action in pending)
            Guard.Run("finish.pending", action);
        Console.FlushPartialLines();
        SpanPayloads.Set(Activity, "threadline.event", _event, Budget, _failed);
        SpanPayloads.Set(Activity, "threadline.response", _response, Budget, _failed);
        Activity.Stop();
        return true;
    }

    private void AtDeadline()
    {
        if (Finish(timedOut: true))
            Pipeline.Flush(Options.FlushBudget);
    }
}
