using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Stitching;
using static Threadline.Storage.ClickHouse.Derived.Stitching.StitchLiterals;

namespace Threadline.Storage.ClickHouse.Derived.Stitching;

public sealed partial class ClickHouseStitchStore
{
    private static readonly string[] SpanInsert = ["trace_hi", "trace_lo", "span_id", "start_unix_nano", "facts", "version"];
    private static readonly string[] CutoffInsert = ["cutoff_unix_nano", "version"];
    private static readonly string[] InvocationInsert = ["trace_hi", "trace_lo", "span_id", "start_unix_nano", "body", "key_kinds", "key_texts", "deleted", "version"];
    private static readonly string[] KeyInsert = ["kind", "key", "trace_hi", "trace_lo", "span_id", "deleted", "version"];
    private static readonly string[] HopInsert =
        ["side", "near_hi", "near_lo", "near_span", "far_hi", "far_lo", "far_span", "kind", "service", "resource", "via", "both_arrived_unix_nano", "linked_at_unix_nano", "deleted", "version"];
    private static readonly string[] MembershipInsert = ["side", "near_hi", "near_lo", "near_span", "far_hi", "far_lo", "far_span", "deleted", "version"];
    private static readonly string[] TransactionInsert =
    [
        "entry_hi", "entry_lo", "entry_span", "start_unix_nano", "duration_ms", "status", "invocation_count", "error_count",
        "entry_kind", "entry_name", "entry_resource", "member_hi", "member_lo", "member_span", "deleted", "version",
    ];

    /// <summary>Span purges that a commit could not run yet (retried after the next commit); guarded by the write lock.</summary>
    private readonly List<(long Cutoff, ulong Version)> _pendingPurges = [];

    /// <summary>
    /// Round trips: the previous keys of the invocations and the previous members of the transactions it replaces
    /// (one primary-key read each, skipped for puts marked new), one insert per table that has rows, the completion
    /// row; after a retention cutoff, the purge of the rows it hid.
    /// </summary>
    public void Commit(StitchDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.IsEmpty)
            return;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CommitAsync(StitchChanges.Of(delta), delta, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private async Task CommitAsync(StitchChanges changes, StitchDelta delta, CancellationToken cancellationToken)
    {
        var previousKeys = await PreviousKeysAsync(changes.InvocationsReplaced, cancellationToken).ConfigureAwait(false);
        var previousTransactions = await PreviousTransactionsAsync(changes.TransactionsReplaced, cancellationToken).ConfigureAwait(false);
        var version = await _log.BeginAsync(cancellationToken).ConfigureAwait(false);
        var completing = false;
        try
        {
            await InsertSpansAsync(delta, version, cancellationToken).ConfigureAwait(false);
            await InsertInvocationsAsync(changes, previousKeys, version, cancellationToken).ConfigureAwait(false);
            await InsertHopsAsync(changes, version, cancellationToken).ConfigureAwait(false);
            await InsertTransactionsAsync(changes, previousTransactions, version, cancellationToken).ConfigureAwait(false);
            completing = true;
            await _log.CompleteAsync(version, delta.Watermark, cancellationToken).ConfigureAwait(false);
        }
        catch when (!completing)
        {
            await _log.AbandonAsync().ConfigureAwait(false);
            throw;
        }
        if (delta.SpansDeletedBefore is { } cutoff)
            _pendingPurges.Add((cutoff, version));
        await PurgeSpansAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the span rows a completed retention hid (the readers' filter already drops them), so that reads by
    /// time stay bounded, and then the cutoff rows that hide nothing any more (theirs and older ones' rows are gone),
    /// so that the readers' list of cutoffs stays short. A reader reads the cutoffs before it takes the span parts,
    /// so it never misses both. A failure is not the commit's: it is retried after the next one.
    /// </summary>
    private async Task PurgeSpansAsync(CancellationToken cancellationToken)
    {
        while (_pendingPurges.Count > 0)
        {
            var (cutoff, version) = _pendingPurges[0];
            try
            {
                await ClickHouseMutation.DeleteAsync(_client, StitchSchema.Spans,
                    $"start_unix_nano < {ClickHouseSql.Literal(cutoff)} AND version < {ClickHouseSql.Literal(version)}", cancellationToken).ConfigureAwait(false);
                await ClickHouseMutation.DeleteAsync(_client, StitchSchema.SpanCutoffs,
                    $"cutoff_unix_nano <= {ClickHouseSql.Literal(cutoff)} AND version <= {ClickHouseSql.Literal(version)}", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ClickHouseServerException or ClickHouseUnavailableException)
            {
                return;
            }
            _pendingPurges.RemoveAt(0);
        }
    }

    private async Task<Dictionary<StitchId, HashSet<StitchKeyRef>>> PreviousKeysAsync(IReadOnlyCollection<StitchId> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<StitchId, HashSet<StitchKeyRef>>();
        foreach (var list in Lists(ids.Select(Tuple)))
        {
            var sql = Latest(StitchSchema.Invocations, "trace_hi, trace_lo, span_id, key_kinds, key_texts", "trace_hi, trace_lo, span_id",
                $"(trace_hi, trace_lo, span_id) IN ({list})", _log.VisibleFilter);
            var rows = await _client.QueryAsync(sql, row =>
            {
                var kinds = row.GetInt64Array(3);
                var texts = row.GetStringArray(4);
                return (Id: Id(row, 0), Keys: kinds.Zip(texts, (kind, text) => new StitchKeyRef((StitchKeyKind)kind, text!)).ToHashSet());
            }, cancellationToken).ConfigureAwait(false);
            foreach (var (id, keys) in rows)
                found[id] = keys;
        }
        return found;
    }

    private async Task<Dictionary<StitchId, (long Start, HashSet<StitchId> Members)>> PreviousTransactionsAsync(IReadOnlyCollection<StitchId> entries, CancellationToken cancellationToken)
    {
        var found = new Dictionary<StitchId, (long, HashSet<StitchId>)>();
        foreach (var list in Lists(entries.Select(Tuple)))
        {
            var sql = Latest(StitchSchema.Transactions, "entry_hi, entry_lo, entry_span, start_unix_nano, member_hi, member_lo, member_span", EntryId,
                $"({EntryId}) IN ({list})", _log.VisibleFilter);
            var rows = await _client.QueryAsync(sql, row =>
            {
                var his = row.GetUInt64Array(4);
                var los = row.GetUInt64Array(5);
                var spans = row.GetUInt64Array(6);
                var members = Enumerable.Range(0, spans.Count).Select(i => new StitchId(TraceId(his[i], los[i]), spans[i])).ToHashSet();
                return (Entry: Id(row, 0), Start: row.GetInt64(3), Members: members);
            }, cancellationToken).ConfigureAwait(false);
            foreach (var (entry, start, members) in rows)
                found[entry] = (start, members);
        }
        return found;
    }

    private async Task InsertSpansAsync(StitchDelta delta, ulong version, CancellationToken cancellationToken)
    {
        if (delta.SpansDeletedBefore is { } cutoff)
        {
            await _client.InsertAsync(StitchSchema.SpanCutoffs, CutoffInsert, row => row.Int64(cutoff).UInt64(version).EndRow(), cancellationToken).ConfigureAwait(false);
        }
        await _client.InsertAsync(StitchSchema.Spans, SpanInsert, row =>
        {
            foreach (var span in delta.SpansAdded)
                row.UInt64(Hi(span.TraceId)).UInt64(Lo(span.TraceId)).UInt64(span.SpanId).Int64(span.StartTimeUnixNano).String(span.Facts).UInt64(version).EndRow();
        }, cancellationToken, _partitionedInsertSettings).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts with their keys; keys the invocation had and no longer has get tombstones, keys it keeps are not written
    /// again. A delete of a stored invocation is a tombstone for it and each of its keys; of an absent one, nothing.
    /// </summary>
    private async Task InsertInvocationsAsync(StitchChanges changes, Dictionary<StitchId, HashSet<StitchKeyRef>> previousKeys, ulong version, CancellationToken cancellationToken)
    {
        var deleted = changes.InvocationsDeleted.Where(previousKeys.ContainsKey).ToList();
        await _client.InsertAsync(StitchSchema.Invocations, InvocationInsert, row =>
        {
            foreach (var put in changes.InvocationsPut)
            {
                var invocation = put.Invocation;
                var keys = put.Keys.Distinct().ToList();
                WriteId(row, invocation.Id).Int64(invocation.StartTimeUnixNano).String(invocation.Body).ArrayLength(keys.Count);
                foreach (var key in keys)
                    row.UInt8((byte)key.Kind);
                row.ArrayLength(keys.Count);
                foreach (var key in keys)
                    row.String(key.Key);
                row.UInt8(0).UInt64(version).EndRow();
            }
            foreach (var id in deleted)
                WriteId(row, id).Int64(0).String("").ArrayLength(0).ArrayLength(0).UInt8(1).UInt64(version).EndRow();
        }, cancellationToken).ConfigureAwait(false);
        await _client.InsertAsync(StitchSchema.Keys, KeyInsert, row =>
        {
            foreach (var put in changes.InvocationsPut)
            {
                var id = put.Invocation.Id;
                var keys = put.Keys.ToHashSet();
                var before = previousKeys.GetValueOrDefault(id) ?? [];
                foreach (var key in before.Where(k => !keys.Contains(k)))
                    WriteKey(row, key, id, deleted: 1, version);
                foreach (var key in keys.Where(k => !before.Contains(k)))
                    WriteKey(row, key, id, deleted: 0, version);
            }
            foreach (var id in deleted)
            {
                foreach (var key in previousKeys[id])
                    WriteKey(row, key, id, deleted: 1, version);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each hop as two rows (by target and by source); a delete is a tombstone on both.</summary>
    private async Task InsertHopsAsync(StitchChanges changes, ulong version, CancellationToken cancellationToken)
    {
        await _client.InsertAsync(StitchSchema.Hops, HopInsert, row =>
        {
            foreach (var hop in changes.HopsPut)
            {
                WriteHop(row, StitchSchema.HopByTarget, hop.To, hop.From, hop, version);
                WriteHop(row, StitchSchema.HopBySource, hop.From, hop.To, hop, version);
            }
            foreach (var (from, to) in changes.HopsDeleted)
            {
                WriteHop(row, StitchSchema.HopByTarget, to, from, hop: null, version);
                WriteHop(row, StitchSchema.HopBySource, from, to, hop: null, version);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Summaries with their member sets; members that left get tombstones (both rows), members that stay are not
    /// written again. A summary whose start changed gets a tombstone at its old (entry, start), which hides the old
    /// row from reads of that time range. A delete of a stored transaction: tombstones for it and its members.
    /// </summary>
    private async Task InsertTransactionsAsync(StitchChanges changes, Dictionary<StitchId, (long Start, HashSet<StitchId> Members)> previous, ulong version, CancellationToken cancellationToken)
    {
        var deleted = changes.TransactionsDeleted.Where(previous.ContainsKey).ToList();
        await _client.InsertAsync(StitchSchema.Transactions, TransactionInsert, row =>
        {
            foreach (var put in changes.TransactionsPut)
            {
                var summary = put.Summary;
                var members = put.Members.Distinct().ToList();
                WriteId(row, summary.Entry).Int64(summary.StartTimeUnixNano).Float64(summary.DurationMs).UInt8(summary.Status)
                    .UInt32(unchecked((uint)summary.InvocationCount)).UInt32(unchecked((uint)summary.ErrorCount))
                    .NullableString(summary.EntryKind).String(summary.EntryName).NullableString(summary.EntryResource);
                WriteIds(row, members).UInt8(0).UInt64(version).EndRow();
                if (previous.TryGetValue(summary.Entry, out var before) && before.Start != summary.StartTimeUnixNano)
                    WriteTransactionTombstone(row, summary.Entry, before.Start, version);
            }
            foreach (var entry in deleted)
                WriteTransactionTombstone(row, entry, previous[entry].Start, version);
        }, cancellationToken, _partitionedInsertSettings).ConfigureAwait(false);
        await _client.InsertAsync(StitchSchema.Memberships, MembershipInsert, row =>
        {
            foreach (var put in changes.TransactionsPut)
            {
                var entry = put.Summary.Entry;
                var members = put.Members.ToHashSet();
                var before = previous.TryGetValue(entry, out var found) ? found.Members : [];
                foreach (var member in before.Where(m => !members.Contains(m)))
                    WriteMembership(row, entry, member, deleted: 1, version);
                foreach (var member in members.Where(m => !before.Contains(m)))
                    WriteMembership(row, entry, member, deleted: 0, version);
            }
            foreach (var entry in deleted)
            {
                foreach (var member in previous[entry].Members)
                    WriteMembership(row, entry, member, deleted: 1, version);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static RowBinaryWriter WriteId(RowBinaryWriter row, StitchId id) => row.UInt64(Hi(id.TraceId)).UInt64(Lo(id.TraceId)).UInt64(id.SpanId);

    /// <summary>Three arrays: the ids' high trace halves, low trace halves and span ids.</summary>
    private static RowBinaryWriter WriteIds(RowBinaryWriter row, IReadOnlyCollection<StitchId> ids)
    {
        row.ArrayLength(ids.Count);
        foreach (var id in ids)
            row.UInt64(Hi(id.TraceId));
        row.ArrayLength(ids.Count);
        foreach (var id in ids)
            row.UInt64(Lo(id.TraceId));
        row.ArrayLength(ids.Count);
        foreach (var id in ids)
            row.UInt64(id.SpanId);
        return row;
    }

    private static void WriteKey(RowBinaryWriter row, StitchKeyRef key, StitchId id, byte deleted, ulong version) =>
        WriteId(row.UInt8((byte)key.Kind).String(key.Key), id).UInt8(deleted).UInt64(version).EndRow();

    private static void WriteHop(RowBinaryWriter row, byte side, StitchId near, StitchId far, StitchHopRow? hop, ulong version)
    {
        WriteId(WriteId(row.UInt8(side), near), far);
        if (hop is null)
            row.UInt8(0).String("").NullableString(null).String("").Int64(0).Int64(0).UInt8(1);
        else
            row.UInt8(hop.Kind).String(hop.Service).NullableString(hop.Resource).String(hop.Via).Int64(hop.BothArrivedUnixNano).Int64(hop.LinkedAtUnixNano).UInt8(0);
        row.UInt64(version).EndRow();
    }

    private static void WriteMembership(RowBinaryWriter row, StitchId entry, StitchId member, byte deleted, ulong version)
    {
        WriteId(WriteId(row.UInt8(StitchSchema.MembershipByEntry), entry), member).UInt8(deleted).UInt64(version).EndRow();
        WriteId(WriteId(row.UInt8(StitchSchema.MembershipByMember), member), entry).UInt8(deleted).UInt64(version).EndRow();
    }

    /// <summary>A tombstone for the row of <paramref name="entry"/> stored with <paramref name="start"/>.</summary>
    private static void WriteTransactionTombstone(RowBinaryWriter row, StitchId entry, long start, ulong version) =>
        WriteIds(WriteId(row, entry).Int64(start).Float64(0).UInt8(0).UInt32(0).UInt32(0).NullableString(null).String("").NullableString(null), [])
            .UInt8(1).UInt64(version).EndRow();
}
