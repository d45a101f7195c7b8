using System.Globalization;

namespace Threadline.Web.Model;

/// <summary>How times and durations read on every page.</summary>
public static class Format
{
    public static DateTimeOffset Time(long unixNano) => DateTimeOffset.UnixEpoch.AddTicks(unixNano / 100);

    public static string Duration(double ms) => ms switch
    {
        < 1 => $"{(ms * 1000).ToString("0", CultureInfo.InvariantCulture)} µs",
        < 1000 => $"{ms.ToString("0.#", CultureInfo.InvariantCulture)} ms",
        _ => $"{(ms / 1000).ToString("0.00", CultureInfo.InvariantCulture)} s",
    };
}
