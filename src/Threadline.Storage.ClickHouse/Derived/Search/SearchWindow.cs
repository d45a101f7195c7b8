namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>The time windows a page of results is read in, newest first (see ClickHouseSearchIndexStore.SearchAsync).</summary>
internal static class SearchWindow
{
    /// <summary>A day in nanoseconds: the partition of search_invocations and search_texts is intDiv(start_time, Day).</summary>
    public const long Day = 86_400_000_000_000;

    public const long First = 3_600_000_000_000;

    public const int Growth = 8;
}
