using Threadline.Analysis.Batches;
using Threadline.Analysis.Configuration;
using Threadline.Analysis.Cost;
using Threadline.Analysis.Issues;
using Threadline.Stitching;

namespace Threadline.Analysis.Ingest;

/// <summary>Combines an invocation of the stitcher with the details of its spans.</summary>
public sealed class InvocationAnalyzer(AnalysisOptions options)
{
    public AnalyzedInvocation Analyze(Invocation invocation, IReadOnlyDictionary<ulong, SpanDetails> traceSpans)
    {
        var spans = invocation.SpanIds.Select(id => traceSpans.GetValueOrDefault(id)).OfType<SpanDetails>().ToList();
        var root = traceSpans.GetValueOrDefault(invocation.SpanId);
        var batch = BatchDeliveryReader.Read(invocation.Trigger.Kind, invocation.Status, root, spans);
        // A partial batch response is classified by its first failed record, so every batch failing the same way is one issue.
        var failure = root is { FailedKeys.Count: > 0 }
            ? FailureClassifier.ClassifyRecords(invocation, batch, spans) ?? FailureClassifier.Classify(invocation, root, spans)
            : FailureClassifier.Classify(invocation, root, spans) ?? FailureClassifier.ClassifyRecords(invocation, batch, spans);
        return new AnalyzedInvocation
        {
            Id = invocation.Id,
            Function = invocation.Function,
            IsLambda = invocation.IsLambda,
            Version = root?.Version,
            CodeHash = root?.CodeHash,
            StartTimeUnixNano = invocation.StartTimeUnixNano,
            EndTimeUnixNano = invocation.EndTimeUnixNano,
            Failed = failure is not null,
            Failure = failure,
            Batch = batch,
            SkippedRanges = root?.SkippedRanges ?? [],
            DroppedKeys = root?.DroppedKeys ?? [],
            ColdStart = invocation.ColdStart,
            TriggerKind = invocation.Trigger.Kind,
            TriggerResource = invocation.Trigger.Resource,
            User = root?.User ?? spans.Select(s => s.User).FirstOrDefault(u => u is not null),
            VipMarker = spans.Any(s => s.VipMarker),
            // Rounded to what the store keeps, so a figure read back equals the one derived.
            CostUsd = invocation.IsLambda
                ? decimal.Round(LambdaCost.Of(options.Pricing, invocation.EndTimeUnixNano - invocation.StartTimeUnixNano, root?.MemoryBytes, root?.Architecture),
                    Storage.Derived.Analysis.AnalyzedInvocationRow.CostScale)
                : 0m,
            GbSeconds = invocation.IsLambda ? LambdaCost.GbSeconds(options.Pricing, invocation.EndTimeUnixNano - invocation.StartTimeUnixNano, root?.MemoryBytes) : 0,
        };
    }
}
