namespace Threadline.Storage;

/// <summary>
/// A query over log records: by trace (and optionally span), by several traces, or by time range [From, To) in Unix
/// nanoseconds; the conditions given are AND-ed.
/// </summary>
public sealed record LogQuery
{
    public UInt128? TraceId { get; init; }
    /// <summary>Logs of any of these traces (none when empty).</summary>
    public IReadOnlyCollection<UInt128>? TraceIds { get; init; }
    public ulong? SpanId { get; init; }
    public long FromUnixNano { get; init; } = long.MinValue;
    public long ToUnixNano { get; init; } = long.MaxValue;
    public int Limit { get; init; } = 1000;
}
