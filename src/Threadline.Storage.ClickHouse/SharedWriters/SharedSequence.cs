namespace Threadline.Storage.ClickHouse;

/// <summary>
/// Commit sequences of shared writers: <c>(unix microseconds &lt;&lt; 10) | slot</c>. Writers hold distinct slots,
/// so their numbers never collide; numbers follow the clock, so a reader can tell how old a sequence is. A positive
/// Int64 until the year 2255.
/// </summary>
internal static class SharedSequence
{
    public const int SlotBits = 10;

    public const int Slots = 1 << SlotBits;

    public static long Of(long unixMicros, int slot) => (unixMicros << SlotBits) | (long)slot;

    public static long MicrosOf(long sequence) => sequence >> SlotBits;

    /// <summary>The highest sequence any writer can take at <paramref name="unixMicros"/>.</summary>
    public static long HighestAt(long unixMicros) => Of(unixMicros, Slots - 1);

    public static long UnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static long NowMicros() => UnixMicros(DateTimeOffset.UtcNow);

    public static long Micros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;
}

/// <summary>One writer's sequences: its clock's microsecond, or one past its previous number's, so they strictly increase.</summary>
internal sealed class WriterSequence(long last)
{
    private long _last = last;

    /// <summary>The next number in <paramref name="slot"/>; its time is never earlier than the clock now.</summary>
    public long Next(int slot)
    {
        var micros = Math.Max(SharedSequence.NowMicros(), SharedSequence.MicrosOf(_last) + 1);
        _last = SharedSequence.Of(micros, slot);
        return _last;
    }
}
