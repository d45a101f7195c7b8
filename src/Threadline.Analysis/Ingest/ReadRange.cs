using Threadline.Storage.Derived.Analysis;

namespace Threadline.Analysis.Ingest;

/// <summary>
/// The time ranges reads use. A read given no range covers <see cref="DefaultSpan"/> up to now, open at the end (a
/// span a little ahead of the clock still counts), so every read is bounded below whatever is stored.
/// </summary>
public static class ReadRange
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(24);

    /// <summary>[from, to) as given; a missing from is <see cref="DefaultSpan"/> before now (or before <paramref name="to"/>), a missing to is open.</summary>
    public static TimeRange Of(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now)
    {
        var start = from ?? (to ?? now) - DefaultSpan;
        return new TimeRange(Time.ToUnixNanos(start), to is { } end ? Time.ToUnixNanos(end) : long.MaxValue);
    }

    /// <summary>
    /// (after, atOrBefore], as the hour windows of cost compare an invocation's start (a <see cref="DateTimeOffset"/>,
    /// so to the 100 ns tick): a start in the tick after <paramref name="after"/> is in, one in the tick of it is not.
    /// </summary>
    public static TimeRange After(DateTimeOffset after, DateTimeOffset atOrBefore) =>
        new(Time.ToUnixNanos(after) + TickNanos, Time.ToUnixNanos(atOrBefore) + TickNanos);

    private const long TickNanos = 100;
}
