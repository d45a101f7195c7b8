using System.Data.Common;
using DuckDB.NET.Data;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.DuckDb.Derived.Stitching;

public sealed partial class DuckDbStitchStore
{
    public IReadOnlyList<StitchSpanRow> LoadSpans(IReadOnlyCollection<UInt128> traceIds)
    {
        var wanted = traceIds.ToHashSet();
        return [.. QueryChunked(traceIds, chunk => $"{StitchSql.SelectSpans} WHERE {StitchSql.In("trace_lo", chunk.Select(StitchSql.Lo))}",
                row => new StitchSpanRow(TraceId(row, 0), Id(row, 2), row.GetInt64(3), row.GetString(4)))
            .Where(s => wanted.Contains(s.TraceId))];
    }

    public IReadOnlyList<UInt128> TracesWithSpansStartedBefore(long cutoffUnixNano) =>
        Query($"SELECT DISTINCT trace_hi, trace_lo FROM stitch_spans WHERE start_unix_nano < {cutoffUnixNano}", [], row => TraceId(row, 0));

    public IReadOnlyList<StitchInvocationRow> LoadInvocations(IReadOnlyCollection<StitchId> ids) =>
        Exactly(ids, chunk => $"{StitchSql.SelectInvocations} WHERE {StitchSql.In("span_id", chunk)}", Invocation, row => row.Id);

    public IReadOnlyList<StitchInvocationRow> LoadInvocationsOfTraces(IReadOnlyCollection<UInt128> traceIds)
    {
        var wanted = traceIds.ToHashSet();
        return [.. QueryChunked(traceIds, chunk => $"{StitchSql.SelectInvocations} WHERE {StitchSql.In("trace_lo", chunk.Select(StitchSql.Lo))}", Invocation)
            .Where(i => wanted.Contains(i.Id.TraceId))];
    }

    public IReadOnlyList<StitchKeyMatch> FindKeys(IReadOnlyCollection<StitchKeyRef> keys)
    {
        var wanted = keys.ToHashSet();
        return [.. QueryChunked(keys, chunk => $"{StitchSql.SelectKeys} WHERE {StitchSql.In("key_hash", chunk.Select(StitchKeyHash.Of))}",
                row => new StitchKeyMatch(new StitchKeyRef((StitchKeyKind)row.GetByte(0), row.GetString(1)), new StitchId(TraceId(row, 2), Id(row, 4))))
            .Where(m => wanted.Contains(m.Key))];
    }

    public IReadOnlyList<StitchHopRow> LoadHopsInto(IReadOnlyCollection<StitchId> invocations) =>
        Exactly(invocations, chunk => $"{StitchSql.SelectHops} WHERE {StitchSql.In("to_span", chunk)}", Hop, hop => hop.To);

    public IReadOnlyList<StitchHopRow> LoadHopsOutOf(IReadOnlyCollection<StitchId> invocations) =>
        Exactly(invocations, chunk => $"{StitchSql.SelectHops} WHERE {StitchSql.In("from_span", chunk)}", Hop, hop => hop.From);

    public IReadOnlyList<StitchMembershipRow> LoadMembers(IReadOnlyCollection<StitchId> entries) =>
        Exactly(entries, chunk => $"{StitchSql.SelectMemberships} WHERE {StitchSql.In("entry_span", chunk)}", Membership, row => row.Entry);

    public IReadOnlyList<StitchMembershipRow> LoadTransactionsOf(IReadOnlyCollection<StitchId> members) =>
        Exactly(members, chunk => $"{StitchSql.SelectMemberships} WHERE {StitchSql.In("member_span", chunk)}", Membership, row => row.Member);

    public IReadOnlyList<StitchTransactionRow> LoadTransactions(IReadOnlyCollection<StitchId> entries) =>
        Exactly(entries, chunk => $"{StitchSql.SelectTransactions} WHERE {StitchSql.In("entry_span", chunk)}", Transaction, row => row.Entry);

    public IReadOnlyList<StitchTransactionRow> ListTransactions(StitchTransactionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
            return [];
        var range = (query.FromUnixNano, query.ToUnixNano) switch
        {
            ({ } from, { } to) => $"start_unix_nano >= {from} AND start_unix_nano < {to}",
            ({ } from, null) => $"start_unix_nano >= {from}",
            (null, { } to) => $"start_unix_nano < {to}",
            _ => "true",
        };
        return Query(StitchSql.ListTransactions.Replace("{range}", range, StringComparison.Ordinal),
            [
                new DuckDBParameter("status", query.Status is { } status ? status : DBNull.Value),
                new DuckDBParameter("entry", (object?)query.Entry ?? DBNull.Value),
                new DuckDBParameter("limit", (long)query.Limit),
            ],
            Transaction);
    }

    /// <summary>
    /// The rows of exactly these ids: the span column narrows them (one IN list per chunk), the trace is
    /// matched here (span ids repeat across traces only in bad data). One column keeps the statement cheap to plan;
    /// a disjunction of (trace, span) pairs cost DuckDB more to bind and optimize than to run.
    /// </summary>
    private List<T> Exactly<T>(IReadOnlyCollection<StitchId> ids, Func<IReadOnlyCollection<ulong>, string> sql, Func<DbDataReader, T> map, Func<T, StitchId> idOf)
    {
        var wanted = ids.ToHashSet();
        // Chunks of distinct span ids: a row is read by one statement only, however many traces share its span id.
        return [.. QueryChunked(wanted.Select(i => i.SpanId).ToHashSet(), sql, map).Where(row => wanted.Contains(idOf(row)))];
    }

    private static StitchInvocationRow Invocation(DbDataReader row) =>
        new(new StitchId(TraceId(row, 0), Id(row, 2)), row.GetInt64(3), row.GetString(4));

    private static StitchHopRow Hop(DbDataReader row) => new(
        new StitchId(TraceId(row, 0), Id(row, 2)),
        new StitchId(TraceId(row, 3), Id(row, 5)),
        row.GetByte(6),
        row.GetString(7),
        row.IsDBNull(8) ? null : row.GetString(8),
        row.GetString(9),
        row.GetInt64(10),
        row.GetInt64(11));

    private static StitchMembershipRow Membership(DbDataReader row) =>
        new(new StitchId(TraceId(row, 0), Id(row, 2)), new StitchId(TraceId(row, 3), Id(row, 5)));

    private static StitchTransactionRow Transaction(DbDataReader row) => new(
        new StitchId(TraceId(row, 0), Id(row, 2)),
        row.GetInt64(3),
        row.GetDouble(4),
        row.GetByte(5),
        row.GetInt32(6),
        row.GetInt32(7),
        row.IsDBNull(8) ? null : row.GetString(8),
        row.GetString(9),
        row.IsDBNull(10) ? null : row.GetString(10));

    private static ulong Id(DbDataReader row, int column) => row.GetFieldValue<ulong>(column);

    private static UInt128 TraceId(DbDataReader row, int column) => StitchSql.TraceId(Id(row, column), Id(row, column + 1));
}
