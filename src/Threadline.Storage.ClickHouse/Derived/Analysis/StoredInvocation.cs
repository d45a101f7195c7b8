using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>
/// Where an invocation is stored (the sorting keys of its rows in every analysis table): what a write must tombstone
/// when it replaces the invocation, read back from <c>analysis_invocation_ids</c>.
/// </summary>
internal sealed record StoredInvocation(UInt128 TraceId, ulong SpanId, string Function, long StartTimeUnixNano, string IssueId,
    IReadOnlyList<string> RecordKeys, IReadOnlyList<string> SkippedShards)
{
    public static StoredInvocation Of(AnalyzedInvocationRow row) => new(row.TraceId, row.SpanId, row.Function, row.StartTimeUnixNano,
        row.Failure?.IssueId ?? "", [.. row.RecordKeys], [.. row.SkippedShards]);

    /// <summary>Its key in <c>analysis_invocations</c>.</summary>
    public (string Function, long Start, UInt128 Trace, ulong Span) InvocationKey => (Function, StartTimeUnixNano, TraceId, SpanId);

    /// <summary>Its key in <c>analysis_invocation_ids</c>.</summary>
    public (UInt128 Trace, ulong Span, long Start) IdKey => (TraceId, SpanId, StartTimeUnixNano);

    public long Minute => MinuteTime.Of(StartTimeUnixNano);

    /// <summary>Its keys in an index table (issue, record key or shard): the value, then start and id.</summary>
    public IEnumerable<IndexEntry> IndexEntries(IEnumerable<string> values) =>
        values.Distinct(StringComparer.Ordinal).Select(value => new IndexEntry(value, StartTimeUnixNano, TraceId, SpanId, Function));
}

/// <summary>One row of an index table; <see cref="Function"/> (with the start) finds the invocation in <c>analysis_invocations</c>.</summary>
internal sealed record IndexEntry(string Value, long StartTimeUnixNano, UInt128 TraceId, ulong SpanId, string Function)
{
    public (string, long, UInt128, ulong) Key => (Value, StartTimeUnixNano, TraceId, SpanId);
}

internal static class MinuteTime
{
    public const long MinuteNanos = 60_000_000_000;

    public static long Of(long unixNano) => unixNano == long.MinValue ? long.MinValue : unixNano - (((unixNano % MinuteNanos) + MinuteNanos) % MinuteNanos);

    /// <summary>The last nanosecond of the minute (saturating at the end of time).</summary>
    public static long LastOf(long minute) => minute > long.MaxValue - (MinuteNanos - 1) ? long.MaxValue : minute + (MinuteNanos - 1);
}

internal static class TraceIds
{
    public static ulong High(UInt128 id) => (ulong)(id >> 64);

    public static ulong Low(UInt128 id) => (ulong)id;

    public static UInt128 Of(ulong high, ulong low) => ((UInt128)high << 64) | low;
}
