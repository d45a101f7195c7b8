using Threadline.Analysis.Batches;
using Threadline.Analysis.Issues;
using Threadline.Stitching;

namespace Threadline.Analysis.Ingest;

/// <summary>One invocation as analysis sees it: the stitcher's facts plus version, cost, user and failure.</summary>
public sealed record AnalyzedInvocation
{
    public required InvocationId Id { get; init; }
    public required string Function { get; init; }
    public bool IsLambda { get; init; }
    public string? Version { get; init; }
    public string? CodeHash { get; init; }
    public long StartTimeUnixNano { get; init; }
    public long EndTimeUnixNano { get; init; }
    public bool Failed { get; init; }
    /// <summary>The failure of the invocation, or of its first failed record when only records failed.</summary>
    public Failure? Failure { get; init; }
    /// <summary>For a batch consumer: its records and what happened to each in this delivery.</summary>
    public BatchDelivery Batch { get; init; } = BatchDelivery.None;
    /// <summary>For a consumer of a stream mapping's on-failure destination: the stream records Lambda dropped.</summary>
    public IReadOnlyList<SkippedStreamRange> SkippedRanges { get; init; } = [];
    /// <summary>For a consumer of an asynchronous on-failure destination: the keys of the events Lambda dropped.</summary>
    public IReadOnlyList<string> DroppedKeys { get; init; } = [];
    public bool ColdStart { get; init; }
    public string? TriggerKind { get; init; }
    public string? TriggerResource { get; init; }
    public string? User { get; init; }
    public bool VipMarker { get; init; }
    public decimal CostUsd { get; init; }
    /// <summary>Billed duration times configured memory; 0 when not a Lambda.</summary>
    public double GbSeconds { get; init; }

    public double DurationMs => (EndTimeUnixNano - StartTimeUnixNano) / 1e6;

    public DateTimeOffset Start => Time.FromUnixNanos(StartTimeUnixNano);

    /// <summary>What a deployment changes: the version, and the code hash when the tracer sends one.</summary>
    public string? Release => Version is null && CodeHash is null ? null : CodeHash is null ? Version : $"{Version}@{CodeHash}";
}
