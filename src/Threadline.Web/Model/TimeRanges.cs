namespace Threadline.Web.Model;

/// <summary>The time ranges of the transaction list's filter.</summary>
public static class TimeRanges
{
    public static readonly IReadOnlyList<(string Value, string Label)> Choices =
        [("15m", "Last 15 minutes"), ("1h", "Last hour"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("all", "All time")];

    /// <summary>The start of the range ending now, in Unix nanoseconds; null for all time or an unknown range.</summary>
    public static long? From(string? range, DateTimeOffset now)
    {
        TimeSpan? span = range switch
        {
            "15m" => TimeSpan.FromMinutes(15),
            "1h" => TimeSpan.FromHours(1),
            "24h" => TimeSpan.FromHours(24),
            "7d" => TimeSpan.FromDays(7),
            _ => null,
        };
        return span is { } s ? (now - s - DateTimeOffset.UnixEpoch).Ticks * 100 : null;
    }
}
