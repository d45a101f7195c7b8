using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.DuckDb.Derived.Stitching;

public sealed partial class DuckDbStitchStore
{
    public void Commit(StitchDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.IsEmpty)
            return;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            WriteSpans(delta);
            WriteInvocations(delta);
            WriteHops(delta);
            WriteTransactions(delta);
            if (delta.Watermark is { } watermark)
                Execute($"DELETE FROM stitch_watermark; INSERT INTO stitch_watermark VALUES ({watermark})");
            transaction.Commit();
        }
    }

    private void WriteSpans(StitchDelta delta)
    {
        if (delta.SpansDeletedBefore is { } cutoff)
            Execute($"DELETE FROM stitch_spans WHERE start_unix_nano < {cutoff}");
        Append("stitch_spans", delta.SpansAdded, (appender, span) => appender.CreateRow()
            .AppendValue(StitchSql.Hi(span.TraceId))
            .AppendValue(StitchSql.Lo(span.TraceId))
            .AppendValue(span.SpanId)
            .AppendValue(span.StartTimeUnixNano)
            .AppendValue(span.Facts)
            .EndRow());
    }

    private void WriteInvocations(StitchDelta delta)
    {
        var replaced = delta.InvocationsDeleted.Concat(delta.InvocationsPut.Where(p => !p.IsNew).Select(p => p.Invocation.Id)).ToList();
        DeleteIds("stitch_invocations", "trace_hi", "trace_lo", "span_id", replaced);
        DeleteIds("stitch_keys", "trace_hi", "trace_lo", "span_id", replaced);
        Append("stitch_invocations", delta.InvocationsPut, (appender, put) => appender.CreateRow()
            .AppendValue(StitchSql.Hi(put.Invocation.Id.TraceId))
            .AppendValue(StitchSql.Lo(put.Invocation.Id.TraceId))
            .AppendValue(put.Invocation.Id.SpanId)
            .AppendValue(put.Invocation.StartTimeUnixNano)
            .AppendValue(put.Invocation.Body)
            .EndRow());
        Append("stitch_keys", delta.InvocationsPut.SelectMany(p => p.Keys.Distinct().Select(k => (p.Invocation.Id, Key: k))), (appender, entry) => appender.CreateRow()
            .AppendValue(StitchKeyHash.Of(entry.Key))
            .AppendValue((byte)entry.Key.Kind)
            .AppendValue(entry.Key.Key)
            .AppendValue(StitchSql.Hi(entry.Id.TraceId))
            .AppendValue(StitchSql.Lo(entry.Id.TraceId))
            .AppendValue(entry.Id.SpanId)
            .EndRow());
    }

    private void WriteHops(StitchDelta delta)
    {
        // A hop is keyed by both ends: find the rows by the target's span id, match the source here, delete by row id.
        var replaced = delta.HopsDeleted.Concat(delta.HopsPut.Select(h => (h.From, h.To))).ToHashSet();
        foreach (var chunk in replaced.Select(h => h.To.SpanId).ToHashSet().Chunk(StitchSql.Chunk))
        {
            var rows = RowIds($"SELECT rowid, from_hi, from_lo, from_span, to_hi, to_lo, to_span FROM stitch_hops WHERE {StitchSql.In("to_span", chunk)}",
                row => replaced.Contains((new StitchId(TraceIdAt(row, 1), row.GetFieldValue<ulong>(3)), new StitchId(TraceIdAt(row, 4), row.GetFieldValue<ulong>(6)))));
            DeleteRows("stitch_hops", rows);
        }
        Append("stitch_hops", delta.HopsPut, (appender, hop) => appender.CreateRow()
            .AppendValue(StitchSql.Hi(hop.From.TraceId))
            .AppendValue(StitchSql.Lo(hop.From.TraceId))
            .AppendValue(hop.From.SpanId)
            .AppendValue(StitchSql.Hi(hop.To.TraceId))
            .AppendValue(StitchSql.Lo(hop.To.TraceId))
            .AppendValue(hop.To.SpanId)
            .AppendValue(hop.Kind)
            .AppendValue(hop.Service)
            .AppendValue(hop.Resource)
            .AppendValue(hop.Via)
            .AppendValue(hop.BothArrivedUnixNano)
            .AppendValue(hop.LinkedAtUnixNano)
            .EndRow());
    }

    private void WriteTransactions(StitchDelta delta)
    {
        var replaced = delta.TransactionsDeleted.Concat(delta.TransactionsPut.Where(t => !t.IsNew).Select(t => t.Summary.Entry)).ToList();
        DeleteIds("stitch_transactions", "entry_hi", "entry_lo", "entry_span", replaced);
        DeleteIds("stitch_memberships", "entry_hi", "entry_lo", "entry_span", replaced);
        Append("stitch_transactions", delta.TransactionsPut, (appender, put) => appender.CreateRow()
            .AppendValue(StitchSql.Hi(put.Summary.Entry.TraceId))
            .AppendValue(StitchSql.Lo(put.Summary.Entry.TraceId))
            .AppendValue(put.Summary.Entry.SpanId)
            .AppendValue(put.Summary.StartTimeUnixNano)
            .AppendValue(put.Summary.DurationMs)
            .AppendValue(put.Summary.Status)
            .AppendValue(put.Summary.InvocationCount)
            .AppendValue(put.Summary.ErrorCount)
            .AppendValue(put.Summary.EntryKind)
            .AppendValue(put.Summary.EntryName)
            .AppendValue(put.Summary.EntryResource)
            .EndRow());
        Append("stitch_memberships", delta.TransactionsPut.SelectMany(t => t.Members.Distinct().Select(m => (t.Summary.Entry, Member: m))), (appender, row) => appender.CreateRow()
            .AppendValue(StitchSql.Hi(row.Entry.TraceId))
            .AppendValue(StitchSql.Lo(row.Entry.TraceId))
            .AppendValue(row.Entry.SpanId)
            .AppendValue(StitchSql.Hi(row.Member.TraceId))
            .AppendValue(StitchSql.Lo(row.Member.TraceId))
            .AppendValue(row.Member.SpanId)
            .EndRow());
    }

    /// <summary>Deletes the rows of exactly these ids (found by the span column, matched here, deleted by row id).</summary>
    private void DeleteIds(string table, string hi, string lo, string span, List<StitchId> ids)
    {
        var wanted = ids.ToHashSet();
        foreach (var chunk in wanted.Select(i => i.SpanId).ToHashSet().Chunk(StitchSql.Chunk))
        {
            var rows = RowIds($"SELECT rowid, {hi}, {lo}, {span} FROM {table} WHERE {StitchSql.In(span, chunk)}",
                row => wanted.Contains(new StitchId(TraceIdAt(row, 1), row.GetFieldValue<ulong>(3))));
            DeleteRows(table, rows);
        }
    }

    private List<long> RowIds(string sql, Func<DbDataReader, bool> matches)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        using var row = command.ExecuteReader();
        var found = new List<long>();
        while (row.Read())
        {
            if (matches(row))
                found.Add(row.GetInt64(0));
        }
        return found;
    }

    private void DeleteRows(string table, List<long> rowIds)
    {
        if (rowIds.Count > 0)
            Execute($"DELETE FROM {table} WHERE rowid IN ({string.Join(", ", rowIds.Select(r => r.ToString(CultureInfo.InvariantCulture)))})");
    }

    private static UInt128 TraceIdAt(DbDataReader row, int column) =>
        StitchSql.TraceId(row.GetFieldValue<ulong>(column), row.GetFieldValue<ulong>(column + 1));

    private void Execute(string sql)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Append<T>(string table, IEnumerable<T> rows, Action<DuckDBAppender, T> append)
    {
        using var enumerator = rows.GetEnumerator();
        if (!enumerator.MoveNext())
            return;
        using var appender = _writer.CreateAppender(table);
        do
        {
            append(appender, enumerator.Current);
        }
        while (enumerator.MoveNext());
    }
}
