using Threadline.Web.Model;

namespace Threadline.Web.Tests.Model;

public sealed class TimeBucketsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(20, 1)]        // 20 s: one-second buckets
    [InlineData(300, 5)]       // 5 min: 5 s
    [InlineData(3600, 60)]     // 1 h: 1 min
    [InlineData(86400, 3600)]  // 24 h: 1 h
    public void The_bucket_is_the_smallest_round_size_giving_at_most_sixty(int seconds, int expectedSeconds)
    {
        var buckets = TimeBuckets.Over(Noon, Noon.AddSeconds(seconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), buckets.Size);
        Assert.InRange(buckets.Count, 1, TimeBuckets.MaxBuckets);
        Assert.Equal(buckets.Count, buckets.Labels().Count);
    }

    [Fact]
    public void Buckets_are_aligned_and_times_outside_the_range_end_excluded_fall_in_none()
    {
        var buckets = TimeBuckets.Over(Noon.AddSeconds(7.3), Noon.AddSeconds(40));

        Assert.Equal(Noon.AddSeconds(7), buckets.Start);
        Assert.Equal(0, buckets.IndexOf(Noon.AddSeconds(7.9)));
        Assert.Equal(32, buckets.IndexOf(Noon.AddSeconds(39.5)));
        Assert.Equal(-1, buckets.IndexOf(Noon.AddSeconds(6)));
        Assert.Equal(-1, buckets.IndexOf(Noon.AddSeconds(40)));
        Assert.Equal("12:00:07", buckets.Labels()[0]);
    }

    [Fact]
    public void A_marker_falls_between_the_centres_of_its_neighbouring_buckets()
    {
        var buckets = TimeBuckets.Over(Noon, Noon.AddMinutes(10)); // 10 s buckets

        Assert.Equal(-0.5, buckets.Position(Noon));
        Assert.Equal(2.5, buckets.Position(Noon.AddSeconds(30)));
    }

    [Fact]
    public void Counts_and_statistics_per_bucket()
    {
        var buckets = TimeBuckets.Over(Noon, Noon.AddSeconds(3));
        var items = new (DateTimeOffset Time, double Ms)[] { (Noon, 10), (Noon.AddMilliseconds(500), 30), (Noon.AddSeconds(2), 5), (Noon.AddSeconds(99), 1) };

        Assert.Equal([2, 0, 1], ChartModel.Count(buckets, items, i => i.Time));
        Assert.Equal([30, null, 5], ChartModel.Aggregate(buckets, items, i => i.Time, i => i.Ms, v => v.Max()));
    }
}
