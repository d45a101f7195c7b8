using System.Globalization;

namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// A server version as <c>version()</c> prints it (18.16.1, 24.8.4.13), and what the schema may use on it. One
/// threshold for the newer features keeps the paths few: every one of them is generally available from 20.3 (an LTS
/// release): per-column codecs (CODEC, 19.x), data-skipping indexes (experimental until 20.1), TTL (19.6) and
/// LowCardinality (19.x). Older servers (Debian's 18.16) get the plain schema and rely on server-level compression.
/// </summary>
public sealed record ClickHouseVersion(int Major, int Minor, string Text) : IComparable<ClickHouseVersion>
{
    public static ClickHouseVersion Parse(string? text)
    {
        var parts = (text ?? "").Trim().Split('.');
        if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            throw new FormatException($"'{text}' is not a ClickHouse version");
        }
        return new ClickHouseVersion(major, minor, text!.Trim());
    }

    /// <summary>Codecs, skip indexes, TTL and LowCardinality are all there (see the class summary).</summary>
    public bool HasModernSchemaFeatures => CompareTo(new ClickHouseVersion(20, 3, "20.3")) >= 0;

    public int CompareTo(ClickHouseVersion? other) =>
        other is null ? 1 : Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public override string ToString() => Text;
}
