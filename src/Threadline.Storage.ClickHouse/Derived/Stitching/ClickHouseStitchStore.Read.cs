using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Stitching;
using static Threadline.Storage.ClickHouse.Derived.Stitching.StitchLiterals;

namespace Threadline.Storage.ClickHouse.Derived.Stitching;

public sealed partial class ClickHouseStitchStore
{
    private const string SpanColumns = "trace_hi, trace_lo, span_id, start_unix_nano, facts";
    private const string InvocationColumns = "trace_hi, trace_lo, span_id, start_unix_nano, body";
    private const string TraceSpanId = "trace_hi, trace_lo, span_id";
    private const string KeyColumns = "kind, key, trace_hi, trace_lo, span_id";
    private const string HopColumns = "near_hi, near_lo, near_span, far_hi, far_lo, far_span, kind, service, resource, via, both_arrived_unix_nano, linked_at_unix_nano";
    private const string PairColumns = "near_hi, near_lo, near_span, far_hi, far_lo, far_span";
    private const string TransactionColumns =
        "entry_hi, entry_lo, entry_span, start_unix_nano, duration_ms, status, invocation_count, error_count, entry_kind, entry_name, entry_resource";
    private const string EntryId = "entry_hi, entry_lo, entry_span";

    public IReadOnlyList<StitchSpanRow> LoadSpans(IReadOnlyCollection<UInt128> traceIds) =>
        Query(traceIds.Select(Tuple), (list, visible) => $"SELECT {SpanColumns} FROM {LiveSpans($"(trace_hi, trace_lo) IN ({list})", visible)}", Span);

    /// <summary>
    /// Not a primary-key read (the table is sorted by trace): the day partitions after the cutoff are skipped, and
    /// the retention purge keeps the days before it small.
    /// </summary>
    public IReadOnlyList<UInt128> TracesWithSpansStartedBefore(long cutoffUnixNano) =>
        Run($"SELECT DISTINCT trace_hi, trace_lo FROM {LiveSpans($"start_unix_nano < {ClickHouseSql.Literal(cutoffUnixNano)}", _log.VisibleFilter)}",
            row => TraceId(row.GetUInt64(0), row.GetUInt64(1)));

    public IReadOnlyList<StitchInvocationRow> LoadInvocations(IReadOnlyCollection<StitchId> ids) =>
        Query(ids.Select(Tuple), (list, visible) => Latest(StitchSchema.Invocations, InvocationColumns, TraceSpanId, $"({TraceSpanId}) IN ({list})", visible), Invocation);

    public IReadOnlyList<StitchInvocationRow> LoadInvocationsOfTraces(IReadOnlyCollection<UInt128> traceIds) =>
        Query(traceIds.Select(Tuple), (list, visible) => Latest(StitchSchema.Invocations, InvocationColumns, TraceSpanId, $"(trace_hi, trace_lo) IN ({list})", visible), Invocation);

    public IReadOnlyList<StitchKeyMatch> FindKeys(IReadOnlyCollection<StitchKeyRef> keys) =>
        Query(keys.Select(Tuple), (list, visible) => Latest(StitchSchema.Keys, KeyColumns, KeyColumns, $"(kind, key) IN ({list})", visible),
            row => new StitchKeyMatch(new StitchKeyRef((StitchKeyKind)row.GetByte(0), row.GetString(1)), Id(row, 2)));

    public IReadOnlyList<StitchHopRow> LoadHopsInto(IReadOnlyCollection<StitchId> invocations) =>
        Query(invocations.Select(Tuple), (list, visible) => Near(StitchSchema.Hops, HopColumns, StitchSchema.HopByTarget, list, visible),
            row => Hop(row, from: Id(row, 3), to: Id(row, 0)));

    public IReadOnlyList<StitchHopRow> LoadHopsOutOf(IReadOnlyCollection<StitchId> invocations) =>
        Query(invocations.Select(Tuple), (list, visible) => Near(StitchSchema.Hops, HopColumns, StitchSchema.HopBySource, list, visible),
            row => Hop(row, from: Id(row, 0), to: Id(row, 3)));

    public IReadOnlyList<StitchMembershipRow> LoadMembers(IReadOnlyCollection<StitchId> entries) =>
        Query(entries.Select(Tuple), (list, visible) => Near(StitchSchema.Memberships, PairColumns, StitchSchema.MembershipByEntry, list, visible),
            row => new StitchMembershipRow(Entry: Id(row, 0), Member: Id(row, 3)));

    public IReadOnlyList<StitchMembershipRow> LoadTransactionsOf(IReadOnlyCollection<StitchId> members) =>
        Query(members.Select(Tuple), (list, visible) => Near(StitchSchema.Memberships, PairColumns, StitchSchema.MembershipByMember, list, visible),
            row => new StitchMembershipRow(Entry: Id(row, 3), Member: Id(row, 0)));

    public IReadOnlyList<StitchTransactionRow> LoadTransactions(IReadOnlyCollection<StitchId> entries) =>
        Query(entries.Select(Tuple), (list, visible) => Latest(StitchSchema.Transactions, TransactionColumns, EntryId, $"({EntryId}) IN ({list})", visible), Transaction);

    /// <summary>
    /// The rows of the time range alone decide (a summary whose start changed left a tombstone at its old start):
    /// the latest version of each (entry, start) in the range, tombstones dropped, then the filters. The range prunes
    /// day partitions; within a day the rows are sorted by entry, so the day is read whole (without a range, all days).
    /// </summary>
    public IReadOnlyList<StitchTransactionRow> ListTransactions(StitchTransactionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0 || query is { FromUnixNano: { } from, ToUnixNano: { } to } && from >= to)
            return [];
        var range = new List<string>();
        if (query.FromUnixNano is { } start)
            range.Add($"start_unix_nano >= {ClickHouseSql.Literal(start)}");
        if (query.ToUnixNano is { } end)
            range.Add($"start_unix_nano < {ClickHouseSql.Literal(end)}");
        var filters = new List<string> { "deleted = 0" };
        if (query.Status is { } status)
            filters.Add($"status = {ClickHouseSql.Literal((int)status)}");
        if (query.Entry is { } entry)
        {
            var text = ClickHouseSql.Literal(entry);
            filters.Add($"(entry_kind = {text} OR entry_name = {text} OR entry_resource = {text})");
        }
        range.Insert(0, _log.VisibleFilter);
        return Run(
            $"SELECT {TransactionColumns} FROM (SELECT {TransactionColumns}, deleted FROM {StitchSchema.Transactions} "
            + $"WHERE {string.Join(" AND ", range)} ORDER BY version DESC LIMIT 1 BY {EntryId}, start_unix_nano) "
            + $"WHERE {string.Join(" AND ", filters)} ORDER BY start_unix_nano DESC, {EntryId} LIMIT {ClickHouseSql.Literal(query.Limit)}",
            Transaction);
    }

    /// <summary>
    /// The latest visible version of each id that meets the filter, tombstones dropped. At equal versions a live
    /// row wins over a tombstone (a summary whose start changed leaves one at its old start, same version).
    /// </summary>
    private static string Latest(string table, string columns, string idColumns, string filter, string visible) =>
        $"SELECT {columns} FROM (SELECT {columns}, deleted FROM {table} WHERE {visible} AND {filter} "
        + $"ORDER BY version DESC, deleted LIMIT 1 BY {idColumns}) WHERE deleted = 0";

    /// <summary>The rows of one side of a two-sided table whose near end is in the list.</summary>
    private static string Near(string table, string columns, byte side, string list, string visible) =>
        Latest(table, columns, PairColumns, $"side = {ClickHouseSql.Literal((int)side)} AND (near_hi, near_lo, near_span) IN ({list})", visible);

    /// <summary>
    /// The latest visible version of each span that meets the filter, as a subquery, without the spans a later
    /// visible retention cut off (<c>stitch_span_cutoffs</c>: stored by an earlier write and started before that
    /// write's cutoff). The flag is computed beside the columns: 18.16 drops a subquery's columns that an outer
    /// query names only inside a lambda ("Unknown identifier").
    /// </summary>
    private static string LiveSpans(string filter, string visible) =>
        $"(SELECT {SpanColumns}, arrayExists(cut -> version < tupleElement(cut, 1) AND start_unix_nano < tupleElement(cut, 2), "
        + $"(SELECT groupArray((version, cutoff_unix_nano)) FROM {StitchSchema.SpanCutoffs} WHERE {visible})) AS cut_off "
        + $"FROM {StitchSchema.Spans} WHERE {visible} AND {filter} ORDER BY version DESC LIMIT 1 BY {TraceSpanId}) WHERE cut_off = 0";

    /// <summary>
    /// Runs one query per piece of the id list (<see cref="StitchLiterals.Lists"/>); no query for no ids. Each piece
    /// takes the visibility filter when it starts, so it sees the last completed write.
    /// </summary>
    private List<T> Query<T>(IEnumerable<string> literals, Func<string, string, string> sql, Func<TabSeparatedReader, T> map)
    {
        var results = new List<T>();
        foreach (var list in Lists(literals))
            results.AddRange(Run(sql(list, _log.VisibleFilter), map));
        return results;
    }

    private IReadOnlyList<T> Run<T>(string sql, Func<TabSeparatedReader, T> map)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _client.QueryAsync(sql, map, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static StitchSpanRow Span(TabSeparatedReader row) =>
        new(TraceId(row.GetUInt64(0), row.GetUInt64(1)), row.GetUInt64(2), row.GetInt64(3), row.GetString(4));

    private static StitchInvocationRow Invocation(TabSeparatedReader row) => new(Id(row, 0), row.GetInt64(3), row.GetString(4));

    private static StitchHopRow Hop(TabSeparatedReader row, StitchId from, StitchId to) => new(
        from, to, row.GetByte(6), row.GetString(7), row.GetNullableString(8), row.GetString(9), row.GetInt64(10), row.GetInt64(11));

    private static StitchTransactionRow Transaction(TabSeparatedReader row) => new(
        Id(row, 0),
        row.GetInt64(3),
        row.GetDouble(4),
        row.GetByte(5),
        checked((int)row.GetInt64(6)),
        checked((int)row.GetInt64(7)),
        row.GetNullableString(8),
        row.GetString(9),
        row.GetNullableString(10));

    private static StitchId Id(TabSeparatedReader row, int column) =>
        new(TraceId(row.GetUInt64(column), row.GetUInt64(column + 1)), row.GetUInt64(column + 2));
}
