namespace Threadline.Web.Model;

/// <summary>One line or set of bars of a chart, a value per bucket (null: no value, a gap the line spans).</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<double?> Values, string Color);

/// <summary>A vertical marker (a deployment): where it falls on the axis, its short label and the text of its tooltip.</summary>
public sealed record ChartMarker(double Position, string Label, string Text, DateTimeOffset Time);

/// <summary>
/// What <c>wwwroot/js/charts.js</c> draws: <see cref="Kind"/> <c>line</c> or <c>bar</c> over the labelled buckets, with
/// markers. <see cref="Title"/> names it for screen readers.
/// </summary>
public sealed record ChartModel(string Title, string Kind, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series,
    IReadOnlyList<ChartMarker> Markers, string? Unit = null, bool Integer = false)
{
    /// <summary>Counts items per bucket.</summary>
    public static IReadOnlyList<double?> Count<T>(TimeBuckets buckets, IEnumerable<T> items, Func<T, DateTimeOffset> time)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var values = new double?[buckets.Count];
        Array.Fill(values, 0);
        foreach (var item in items)
        {
            if (buckets.IndexOf(time(item)) is var i and >= 0)
                values[i]++;
        }
        return values;
    }

    /// <summary>A statistic of the values in each bucket (null for an empty bucket).</summary>
    public static IReadOnlyList<double?> Aggregate<T>(TimeBuckets buckets, IEnumerable<T> items, Func<T, DateTimeOffset> time, Func<T, double> value,
        Func<IReadOnlyList<double>, double> statistic)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var groups = Enumerable.Range(0, buckets.Count).Select(_ => new List<double>()).ToArray();
        foreach (var item in items)
        {
            if (buckets.IndexOf(time(item)) is var i and >= 0)
                groups[i].Add(value(item));
        }
        return [.. groups.Select(g => g.Count == 0 ? (double?)null : statistic(g))];
    }
}
