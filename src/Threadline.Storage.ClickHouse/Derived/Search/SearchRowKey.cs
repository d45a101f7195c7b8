namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>The key of a row of <c>search_invocations</c> and <c>search_texts</c>: its start and the invocation's id.</summary>
internal readonly record struct SearchRowKey(long StartTime, ulong TraceHi, ulong TraceLo, ulong SpanId)
{
    public static SearchRowKey Of(Threadline.Storage.Derived.Search.SearchInvocationRow row) =>
        new(row.StartTimeUnixNano, (ulong)(row.TraceId >> 64), (ulong)row.TraceId, row.SpanId);
}
