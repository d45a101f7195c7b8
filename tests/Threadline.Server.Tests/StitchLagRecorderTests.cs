using Threadline.Server.Stitch;
using Threadline.Stitching;

namespace Threadline.Server.Tests;

public sealed class StitchLagRecorderTests
{
    private static Hop HopWithLag(double milliseconds)
    {
        var arrived = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        return new Hop(new InvocationId(1, 1), new InvocationId(2, 2), HopKind.Async, "sqs", "q", Via.SqsMessageId,
            arrived, arrived.AddMilliseconds(milliseconds));
    }

    [Fact]
    public void Percentiles_are_taken_over_the_recorded_lags()
    {
        var recorder = new StitchLagRecorder();
        recorder.Record(Enumerable.Range(1, 100).Reverse().Select(i => HopWithLag(i)).ToList());

        Assert.Equal((100L, 50.0, 99.0, 100.0), recorder.Snapshot());
    }

    [Fact]
    public void Only_the_most_recent_ten_thousand_links_count()
    {
        var recorder = new StitchLagRecorder();
        recorder.Record([HopWithLag(900)]);
        recorder.Record(Enumerable.Range(0, 10_000).Select(_ => HopWithLag(5)).ToList());

        Assert.Equal((10_001L, 5.0, 5.0, 5.0), recorder.Snapshot());
    }

    [Fact]
    public void Nothing_linked_yet_reports_zeros() => Assert.Equal((0L, 0.0, 0.0, 0.0), new StitchLagRecorder().Snapshot());
}
