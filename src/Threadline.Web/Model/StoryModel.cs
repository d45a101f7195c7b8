using Threadline.Analysis.Batches;
using Threadline.Stitching;
using Threadline.Telemetry;

namespace Threadline.Web.Model;

/// <summary>One step of the story: when (from the transaction's start), what, and which invocation/span it is.</summary>
public sealed record StoryLine(double OffsetMs, string Text, bool Failed, string Invocation, string? SpanId);

/// <summary>
/// The transaction told in order, one line per step: each invocation receiving its trigger, each call it made
/// (with its duration and, when it failed, why), and each invocation that failed with its error. A batch consumer's
/// receiving step says what became of the transaction's own record in that delivery.
/// </summary>
public static class StoryModel
{
    public static IReadOnlyList<StoryLine> Of(Transaction transaction, IReadOnlyList<SpanRecord> spans,
        IReadOnlyDictionary<string, DeliveryResult>? recordResults = null)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(spans);
        var start = transaction.Summary.StartTimeUnixNano;
        var calls = spans.Where(s => s.Kind is SpanKind.Client or SpanKind.Producer).ToDictionary(s => (s.TraceId, s.SpanId));
        var steps = new List<(long Time, int Order, StoryLine Line)>();
        foreach (var invocation in transaction.Invocations)
        {
            var id = invocation.Id.ToString();
            var record = recordResults?.GetValueOrDefault(id) is { } result ? (DeliveryResult?)result : null;
            steps.Add((invocation.StartTimeUnixNano, 0, new StoryLine((invocation.StartTimeUnixNano - start) / 1e6,
                $"{invocation.Function} received {Trigger(invocation.Trigger)}{(invocation.ColdStart ? " (cold start)" : "")}{RecordMark(record)}",
                record is DeliveryResult.Failed or DeliveryResult.BatchFailed, id, null)));
            foreach (var spanId in invocation.SpanIds)
            {
                if (!calls.TryGetValue((invocation.TraceId, spanId), out var call))
                    continue;
                var failed = call.StatusCode == StatusCode.Error;
                var text = $"{invocation.Function} called {call.Name} ({Format.Duration((call.EndTimeUnixNano - call.StartTimeUnixNano) / 1e6)})"
                    + (failed ? $" — failed{(string.IsNullOrEmpty(call.StatusMessage) ? "" : ": " + call.StatusMessage)}" : "");
                steps.Add((call.StartTimeUnixNano, 1, new StoryLine((call.StartTimeUnixNano - start) / 1e6, text, failed, id, TelemetryIds.FormatSpanId(spanId))));
            }
            if (invocation.Status == StatusCode.Error)
            {
                steps.Add((invocation.EndTimeUnixNano, 2, new StoryLine((invocation.EndTimeUnixNano - start) / 1e6,
                    $"{invocation.Function} failed: {invocation.Error ?? "error"}", true, id, null)));
            }
        }
        return [.. steps.OrderBy(s => s.Time).ThenBy(s => s.Order).ThenBy(s => s.Line.Text, StringComparer.Ordinal).Select(s => s.Line)];
    }

    private static string RecordMark(DeliveryResult? result) => result switch
    {
        DeliveryResult.Failed => " — this transaction's record failed",
        DeliveryResult.BatchFailed => " — its batch failed (attribution per batch)",
        DeliveryResult.RetriedForOthers => " — this transaction's record is delayed: a batch-mate failed",
        DeliveryResult.Succeeded => " — this transaction's record succeeded",
        _ => "",
    };

    private static string Trigger(Trigger trigger) => (trigger.Kind, trigger.Resource) switch
    {
        (null, null) => "a call",
        ({ } kind, null) => kind,
        (null, { } resource) => resource,
        ({ } kind, { } resource) => $"{resource} ({kind})",
    };
}
