namespace Threadline.Sandbox.Tests;

/// <summary>The system clock moved forward on demand; timers still run on real time.</summary>
internal sealed class ManualClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
