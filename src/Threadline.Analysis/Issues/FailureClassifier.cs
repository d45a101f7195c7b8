using Threadline.Analysis.Ingest;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Analysis.Issues;

/// <summary>
/// Decides why a failed invocation failed, in this order: the tracer's timeout mark; an out-of-memory error; a failed
/// outgoing call (the invocation's last outgoing call, by end time, answered 4xx/5xx or failed: a failure the function
/// handled and went on from is not the cause); the exception event (root span first); else the span status message.
/// </summary>
public static class FailureClassifier
{
    private static readonly string[] OutOfMemoryMarks =
        ["OutOfMemory", "out of memory", "Runtime.OutOfMemory", "signal: killed", "MemoryError", "heap out of memory"];

    public static Failure? Classify(Invocation invocation, SpanDetails? root, IReadOnlyList<SpanDetails> spans)
    {
        if (invocation.Status != StatusCode.Error)
            return null;
        var exception = root?.Exception ?? spans.LastOrDefault(s => s.Exception is not null)?.Exception;
        return Classify(invocation.Function, root?.Timeout == true, exception, invocation.Error ?? "", spans);
    }

    /// <summary>
    /// Why the records of an invocation that did not fail as a whole failed: the first failed record span, classified
    /// like an invocation over the spans under it; without record spans, the partial batch response's report.
    /// </summary>
    public static Failure? ClassifyRecords(Invocation invocation, Batches.BatchDelivery batch, IReadOnlyList<SpanDetails> spans)
    {
        if (!batch.Records.Any(r => r.Result == Batches.DeliveryResult.Failed))
            return null;
        if (batch.FirstFailedRecordSpan is not { } record)
            return Make(invocation.Function, FailureKind.Error, "BatchItemFailure", "the partial batch response reported records failed", null);
        var key = record.RecordKeys![0];
        var under = spans.Where(s => batch.RecordOfSpan.TryGetValue(s.SpanId, out var k) && k == key).ToList();
        var exception = record.Exception ?? under.LastOrDefault(s => s.Exception is not null)?.Exception;
        return Classify(invocation.Function, record.Timeout, exception, record.RecordError ?? "", under);
    }

    private static Failure Classify(string function, bool timeout, ExceptionFacts? exception, string status, IReadOnlyList<SpanDetails> spans)
    {
        if (timeout || spans.Any(s => s.Timeout))
            return Make(function, FailureKind.Timeout, "Timeout", status.Length > 0 ? status : "Lambda deadline reached", exception?.TopFrame);

        var text = $"{exception?.Type} {exception?.Message} {status}";
        if (OutOfMemoryMarks.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase)))
            return Make(function, FailureKind.OutOfMemory, "OutOfMemory", exception?.Message ?? status, exception?.TopFrame);

        var call = spans.Where(s => s.CallEndTimeUnixNano is not null).MaxBy(s => s.CallEndTimeUnixNano)?.FailedCall;
        if (call is not null)
        {
            var type = call.HttpStatus is { } code ? $"HTTP {code}" : "CallFailed";
            var message = call.HttpStatus is { } answered ? $"{call.Target} answered {answered}" : $"{call.Target} failed: {call.Error}";
            return Make(function, FailureKind.OutgoingCall, type, message, exception?.TopFrame);
        }
        if (exception is not null)
            return Make(function, FailureKind.Error, exception.Type ?? "Error", exception.Message ?? status, exception.TopFrame);
        return Make(function, FailureKind.Error, "Error", status, null);
    }

    private static Failure Make(string function, FailureKind kind, string type, string message, string? topFrame) =>
        new(function, kind, type, MessageNormalizer.Normalize(message), topFrame, message);
}
