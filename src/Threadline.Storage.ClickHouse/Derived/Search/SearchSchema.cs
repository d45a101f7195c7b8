namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>The search index's tables (Sql/search.sql, embedded), created when missing.</summary>
internal static class SearchSchema
{
    /// <summary>The tables of the part, whose rows the write log versions.</summary>
    public static readonly IReadOnlyList<string> Tables = ["search_invocations", "search_texts", "search_starts", "search_resource_sets", "search_keys"];

    public static IReadOnlyList<string> Statements()
    {
        using var stream = typeof(SearchSchema).Assembly.GetManifestResourceStream("Threadline.Storage.ClickHouse.Sql.search.sql")
            ?? throw new InvalidOperationException("Embedded SQL 'search.sql' is missing.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal));
        return string.Join('\n', lines).Split("\n;\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(statement => statement.Length > 0).ToList();
    }
}
