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
        var replaced = delta.InvocationsDeleted.Concat(delta.InvocationsPut.Select(p => p.Invocation.Id)).ToList();
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
        // A hop is keyed by both ends: delete by the target's index, then match the source exactly.
        var replaced = delta.HopsDeleted.Concat(delta.HopsPut.Select(h => (h.From, h.To))).Distinct().ToList();
        foreach (var chunk in replaced.Chunk(StitchSql.Chunk))
        {
            var exact = string.Join(" OR ", chunk.Select(h =>
                $"(to_hi = {StitchSql.Hi(h.To.TraceId)} AND to_lo = {StitchSql.Lo(h.To.TraceId)} AND to_span = {h.To.SpanId}"
                + $" AND from_hi = {StitchSql.Hi(h.From.TraceId)} AND from_lo = {StitchSql.Lo(h.From.TraceId)} AND from_span = {h.From.SpanId})"));
            Execute($"DELETE FROM stitch_hops WHERE {StitchSql.In("to_span", chunk.Select(h => h.To.SpanId))} AND ({exact})");
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
        var replaced = delta.TransactionsDeleted.Concat(delta.TransactionsPut.Select(t => t.Summary.Entry)).ToList();
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

    private void DeleteIds(string table, string hi, string lo, string span, List<StitchId> ids)
    {
        foreach (var chunk in ids.Distinct().Chunk(StitchSql.Chunk))
            Execute($"DELETE FROM {table} WHERE {StitchSql.Ids(hi, lo, span, chunk)}");
    }

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
