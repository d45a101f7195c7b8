namespace Threadline.Storage;

/// <summary>A time-range query over spans; the range is [From, To) in Unix nanoseconds.</summary>
public sealed record SpanQuery(long FromUnixNano, long ToUnixNano, string? Service = null, int Limit = 1000);
