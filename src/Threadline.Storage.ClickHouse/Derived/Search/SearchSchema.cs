using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>The search index's tables (Sql/search.sql, embedded), created when missing.</summary>
internal static class SearchSchema
{
    /// <summary>The tables of the part, whose rows the write log versions.</summary>
    public static readonly IReadOnlyList<string> Tables = ["search_invocations", "search_texts", "search_starts", "search_resource_sets", "search_keys"];

    public static IReadOnlyList<string> Statements() => EmbeddedSql.Statements("search.sql");
}
