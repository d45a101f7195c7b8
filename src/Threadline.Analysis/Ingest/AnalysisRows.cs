using System.Globalization;
using System.Numerics;
using Threadline.Analysis.Batches;
using Threadline.Analysis.Issues;
using Threadline.Stitching;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Ingest;

/// <summary><see cref="AnalyzedInvocation"/> ⇄ the store's <see cref="AnalyzedInvocationRow"/> (storage knows no analysis type).</summary>
public static class AnalysisRows
{
    public static AnalyzedInvocationRow ToRow(AnalyzedInvocation i) => new()
    {
        TraceId = i.Id.TraceId,
        SpanId = i.Id.SpanId,
        Function = i.Function,
        IsLambda = i.IsLambda,
        Version = i.Version,
        CodeHash = i.CodeHash,
        Release = i.Release,
        StartTimeUnixNano = i.StartTimeUnixNano,
        EndTimeUnixNano = i.EndTimeUnixNano,
        Failed = i.Failed,
        Failure = i.Failure is { } f ? new FailureRow(f.IssueId, f.Kind.ToString(), f.ErrorType, f.NormalizedMessage, f.TopFrame, f.Message) : null,
        Records = [.. i.Batch.Records.Select(r => new RecordDeliveryRow(r.Key, r.Keys, r.Result.ToString()))],
        RecordOfSpan = [.. i.Batch.RecordOfSpan.OrderBy(p => p.Key).Select(p => new SpanRecordKey(p.Key, p.Value))],
        SkippedRanges = [.. i.SkippedRanges.Select(r => new SkippedRangeRow(r.Stream, r.ShardId,
            r.Start.ToString(CultureInfo.InvariantCulture), r.End.ToString(CultureInfo.InvariantCulture)))],
        DroppedKeys = i.DroppedKeys,
        ColdStart = i.ColdStart,
        TriggerKind = i.TriggerKind,
        TriggerResource = i.TriggerResource,
        User = i.User,
        VipMarker = i.VipMarker,
        CostUsd = i.CostUsd,
        GbSeconds = i.GbSeconds,
    };

    /// <summary>
    /// The invocation a row stands for. What only the derivation itself reads (the first failed record span) is not kept.
    /// </summary>
    public static AnalyzedInvocation FromRow(AnalyzedInvocationRow r) => new()
    {
        Id = new InvocationId(r.TraceId, r.SpanId),
        Function = r.Function,
        IsLambda = r.IsLambda,
        Version = r.Version,
        CodeHash = r.CodeHash,
        StartTimeUnixNano = r.StartTimeUnixNano,
        EndTimeUnixNano = r.EndTimeUnixNano,
        Failed = r.Failed,
        Failure = r.Failure is { } f ? FailureOf(r.Function, f) : null,
        Batch = r.Records.Count == 0 && r.RecordOfSpan.Count == 0
            ? BatchDelivery.None
            : new BatchDelivery([.. r.Records.Select(d => new RecordDelivery(d.Key, d.Keys, Enum.Parse<DeliveryResult>(d.Result)))],
                r.RecordOfSpan.ToDictionary(p => p.SpanId, p => p.Key), null),
        SkippedRanges = [.. r.SkippedRanges.Select(s => new SkippedStreamRange(s.Stream, s.ShardId,
            BigInteger.Parse(s.Start, CultureInfo.InvariantCulture), BigInteger.Parse(s.End, CultureInfo.InvariantCulture)))],
        DroppedKeys = r.DroppedKeys,
        ColdStart = r.ColdStart,
        TriggerKind = r.TriggerKind,
        TriggerResource = r.TriggerResource,
        User = r.User,
        VipMarker = r.VipMarker,
        CostUsd = r.CostUsd,
        GbSeconds = r.GbSeconds,
    };

    public static Failure FailureOf(string function, FailureRow f) =>
        new(function, Enum.Parse<FailureKind>(f.Kind), f.ErrorType, f.NormalizedMessage, f.TopFrame, f.Message);
}
