namespace Threadline.Analysis.Ingest;

/// <summary>Unix nanoseconds ⇄ <see cref="DateTimeOffset"/>.</summary>
public static class Time
{
    public static DateTimeOffset FromUnixNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    public static long ToUnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
