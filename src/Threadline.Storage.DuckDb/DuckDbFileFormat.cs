using DuckDB.NET.Data;

namespace Threadline.Storage.DuckDb;

/// <summary>
/// The on-disk format of the store's DuckDB file: which storage version new files are written in, and where long text
/// is compressed with zstd rather than DuckDB's automatic choice.
/// </summary>
/// <remarks>
/// DuckDB writes new files in its oldest compatible storage version unless told otherwise, and that version cannot hold
/// zstd-compressed strings (a <c>USING COMPRESSION zstd</c> column in such a file is silently stored uncompressed).
/// DuckDB's automatic choice for text is FSST or a dictionary, which suits short, repetitive strings but not the JSON
/// documents of the telemetry (span attributes with their payloads, log lines): on a 1M-span store zstd took span
/// attributes from 327 to 64 bytes per span with payloads (198 to 39 without). Columns of short or repetitive strings
/// keep the automatic choice, which is smaller there, and so do the derived tables: zstd halved them too but made the
/// background derivation 1.7× slower, its point reads and rewrites decompressing whole segments (docs/architecture.md,
/// "Storage schema").
/// </remarks>
public static class DuckDbFileFormat
{
    /// <summary>The storage version new database files are written in: the first that holds zstd-compressed strings.</summary>
    public const string StorageVersion = "v1.2.0";

    /// <summary>The placeholder in the schema files after a long-text column's type.</summary>
    public const string LongTextPlaceholder = "{long_text}";

    private static readonly Version ZstdStrings = new(1, 2, 0);

    /// <summary>
    /// The connection string of the database file at <paramref name="databasePath"/>. Every connection of a process to
    /// one file must use the same settings, so every connection is opened with this string.
    /// </summary>
    public static string ConnectionString(string databasePath) =>
        $"Data Source={databasePath};storage_compatibility_version={StorageVersion}";

    /// <summary>
    /// <paramref name="schemaSql"/> with each long-text placeholder made zstd compression when the connected file's
    /// storage version holds it; a file created by an earlier Threadline keeps DuckDB's automatic choice.
    /// </summary>
    public static string ForFile(DuckDBConnection connection, string schemaSql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(schemaSql);
        var clause = HoldsZstdStrings(connection) ? " USING COMPRESSION zstd" : "";
        return schemaSql.Replace(LongTextPlaceholder, clause, StringComparison.Ordinal);
    }

    /// <summary>Whether the connected database file's storage version holds zstd-compressed strings.</summary>
    public static bool HoldsZstdStrings(DuckDBConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()";
        return ParseStorageVersion(command.ExecuteScalar() as string) is { } version && version >= ZstdStrings;
    }

    /// <summary>DuckDB's storage version tag (<c>v1.2.0+</c>, <c>v0.10.2</c>) as a version; null when it is not one.</summary>
    public static Version? ParseStorageVersion(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
            return null;
        var digits = tag.TrimStart('v').TrimEnd('+');
        return Version.TryParse(digits, out var version) ? version : null;
    }
}
