namespace Threadline.Storage.Derived.Analysis;

/// <summary>
/// One analyzed invocation as the store keeps it: everything the analysis derives for it (the mapping to and from
/// <c>AnalyzedInvocation</c> lives in Threadline.Analysis, so storage knows no analysis type).
/// </summary>
public sealed record AnalyzedInvocationRow
{
    /// <summary>Costs are kept to this many decimal places (finer than any Lambda price; a sum of them still fits DECIMAL(38, 24)).</summary>
    public const int CostScale = 24;

    public required UInt128 TraceId { get; init; }
    public required ulong SpanId { get; init; }
    public required string Function { get; init; }
    public bool IsLambda { get; init; }
    public string? Version { get; init; }
    public string? CodeHash { get; init; }
    /// <summary>The version, plus the code hash when sent: what a deployment changes (null when neither is known).</summary>
    public string? Release { get; init; }
    public long StartTimeUnixNano { get; init; }
    public long EndTimeUnixNano { get; init; }
    public bool Failed { get; init; }
    public FailureRow? Failure { get; init; }
    public IReadOnlyList<RecordDeliveryRow> Records { get; init; } = [];
    /// <summary>For a batch consumer: the spans that ran under a record span, with that record's key.</summary>
    public IReadOnlyList<SpanRecordKey> RecordOfSpan { get; init; } = [];
    public IReadOnlyList<SkippedRangeRow> SkippedRanges { get; init; } = [];
    public IReadOnlyList<string> DroppedKeys { get; init; } = [];
    public bool ColdStart { get; init; }
    public string? TriggerKind { get; init; }
    public string? TriggerResource { get; init; }
    public string? User { get; init; }
    public bool VipMarker { get; init; }
    public decimal CostUsd { get; init; }
    /// <summary>Billed duration times configured memory (GB·s); 0 for an invocation that is not a Lambda.</summary>
    public double GbSeconds { get; init; }

    /// <summary>The keys this invocation is found by in <see cref="IAnalysisStore.ListByRecordKeyAsync"/>: its records' keys and the dropped events' keys.</summary>
    public IEnumerable<string> RecordKeys => Records.SelectMany(r => r.Keys).Concat(DroppedKeys).Distinct(StringComparer.Ordinal);

    /// <summary>The shards (<c>stream/shardId</c>) this invocation is found by in <see cref="IAnalysisStore.ListBySkippedShardAsync"/>.</summary>
    public IEnumerable<string> SkippedShards => SkippedRanges.Select(r => $"{r.Stream}/{r.ShardId}").Distinct(StringComparer.Ordinal);
}

/// <summary>Why an invocation failed: what groups it into an issue (<see cref="IssueId"/>) and the first raw message.</summary>
public sealed record FailureRow(string IssueId, string Kind, string ErrorType, string NormalizedMessage, string? TopFrame, string Message);

/// <summary>One record of a consumed batch and what happened to it in this delivery (<c>DeliveryResult</c> by name).</summary>
public sealed record RecordDeliveryRow(string Key, IReadOnlyList<string> Keys, string Result);

public sealed record SpanRecordKey(ulong SpanId, string Key);

/// <summary>A dropped stream range; sequence numbers as decimal text (they exceed 64 bits).</summary>
public sealed record SkippedRangeRow(string Stream, string ShardId, string Start, string End);
