namespace Threadline.Storage.DuckDb.Derived.Search;

/// <summary>The search index's fixed SQL, in the .sql files beside this one (embedded in the assembly).</summary>
internal static class SearchSqlText
{
    public static readonly string Schema = Load("search_schema.sql");
    public static readonly string DeleteTraces = Load("search_delete_traces.sql");
    public static readonly string DeleteBefore = Load("search_delete_before.sql");
    public static readonly string Columns = Load("search_columns.sql");

    /// <summary>The statements of a file, one by one (DuckDB prepares one statement with parameters at a time).</summary>
    public static IEnumerable<string> Statements(string sql) =>
        string.Join('\n', sql.Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .Split(';').Select(s => s.Trim()).Where(s => s.Length > 0);

    private static string Load(string name)
    {
        var assembly = typeof(SearchSqlText).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Threadline.Storage.DuckDb.Derived.Search.Sql.{name}")
            ?? throw new InvalidOperationException($"Embedded SQL '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
