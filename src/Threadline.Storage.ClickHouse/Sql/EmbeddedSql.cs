namespace Threadline.Storage.ClickHouse.Sql;

/// <summary>
/// The DDL files embedded from <c>Sql/*.sql</c>: comment lines dropped, statements separated by lines holding only
/// <c>;</c> (the HTTP interface runs one statement per request).
/// </summary>
internal static class EmbeddedSql
{
    public static string Load(string name)
    {
        using var stream = typeof(EmbeddedSql).Assembly.GetManifestResourceStream($"Threadline.Storage.ClickHouse.Sql.{name}")
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<string> Statements(string name) => Split(Load(name));

    public static IReadOnlyList<string> Split(string sql)
    {
        var lines = sql.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal));
        return string.Join('\n', lines)
            .Split("\n;\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(statement => statement.Length > 0)
            .ToList();
    }
}
