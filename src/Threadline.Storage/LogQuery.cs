namespace Threadline.Storage;

/// <summary>
/// A query over log records: by trace (and optionally span) or by time range [From, To) in Unix nanoseconds.
/// </summary>
public sealed record LogQuery
{
    public UInt128? TraceId { get; init; }
    public ulong? SpanId { get; init; }
    public long FromUnixNano { get; init; } = long.MinValue;
    public long ToUnixNano { get; init; } = long.MaxValue;
    public int Limit { get; init; } = 1000;
}
