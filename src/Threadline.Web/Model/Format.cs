using System.Globalization;

namespace Threadline.Web.Model;

/// <summary>How times and durations read on every page.</summary>
public static class Format
{
    public static DateTimeOffset Time(long unixNano) => DateTimeOffset.UnixEpoch.AddTicks(unixNano / 100);

    /// <summary>A point in time as the pages show it (UTC, to the second).</summary>
    public static string When(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>US dollars, with enough digits for one invocation's fraction of a cent.</summary>
    public static string Usd(decimal usd) => usd switch
    {
        0m => "$0",
        < 0.01m => "$" + usd.ToString("0.#########", CultureInfo.InvariantCulture),
        _ => "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture),
    };

    public static string Duration(double ms) => ms switch
    {
        < 1 => $"{(ms * 1000).ToString("0", CultureInfo.InvariantCulture)} µs",
        < 1000 => $"{ms.ToString("0.#", CultureInfo.InvariantCulture)} ms",
        _ => $"{(ms / 1000).ToString("0.00", CultureInfo.InvariantCulture)} s",
    };
}
