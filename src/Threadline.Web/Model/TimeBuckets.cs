using System.Globalization;

namespace Threadline.Web.Model;

/// <summary>
/// Equal time buckets over a range for the charts: the smallest of a few round sizes (1 s … 1 day) that cuts the range
/// into at most <see cref="MaxBuckets"/> (the end excluded), aligned on multiples of the size.
/// </summary>
public sealed record TimeBuckets(DateTimeOffset Start, TimeSpan Size, int Count)
{
    public const int MaxBuckets = 60;

    private static readonly TimeSpan[] Sizes =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1),
        TimeSpan.FromHours(6), TimeSpan.FromDays(1),
    ];

    public static TimeBuckets Over(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
            (from, to) = (to, from);
        var size = Sizes.FirstOrDefault(s => Span(from, to, s) <= MaxBuckets, Sizes[^1]);
        var start = new DateTimeOffset(from.UtcTicks - from.UtcTicks % size.Ticks, TimeSpan.Zero);
        return new TimeBuckets(start, size, Math.Max(1, Span(from, to, size)));
    }

    /// <summary>The bucket of a time, or -1 outside the range.</summary>
    public int IndexOf(DateTimeOffset time)
    {
        var index = (time.UtcTicks - Start.UtcTicks) / Size.Ticks;
        return time < Start || index >= Count ? -1 : (int)index;
    }

    /// <summary>Where a time falls on a category axis whose bucket i is centred on i.</summary>
    public double Position(DateTimeOffset time) => (time.UtcTicks - Start.UtcTicks) / (double)Size.Ticks - 0.5;

    public DateTimeOffset StartOf(int index) => Start + Size * index;

    /// <summary>Each bucket's start as an axis label: the time of day, with the date when the buckets are a day or more.</summary>
    public IReadOnlyList<string> Labels() =>
        [.. Enumerable.Range(0, Count).Select(i => StartOf(i).ToString(Size >= TimeSpan.FromDays(1) ? "yyyy-MM-dd" : Size >= TimeSpan.FromMinutes(1) ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture))];

    private static int Span(DateTimeOffset from, DateTimeOffset to, TimeSpan size)
    {
        var first = from.UtcTicks / size.Ticks;
        var last = Math.Max(from.UtcTicks, to.UtcTicks - 1) / size.Ticks;
        return (int)Math.Min(int.MaxValue, last - first + 1);
    }
}
