using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

public sealed partial class ClickHouseAnalysisStore
{
    private const int TracesPerQuery = 500;

    private static readonly IReadOnlyList<string> IdColumns =
        ["trace_hi", "trace_lo", "span_id", "start_time_unix_nano", "version", "deleted", "function", "issue_id", "record_keys", "skipped_shards"];

    /// <summary>
    /// Replaces the stored invocations of the delta's traces by its rows: the ones stored before (found by trace in
    /// <c>analysis_invocation_ids</c>) and not put again are tombstoned in every table, the new ones put, the minutes
    /// either touches summed again; all under one version, made visible with the watermark (never lowered) at the end.
    /// </summary>
    public async Task WriteAsync(AnalysisDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delta);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var version = await _log.BeginAsync(cancellationToken).ConfigureAwait(false);
            var traces = delta.Traces.Concat(delta.Rows.Select(r => r.TraceId)).Distinct().ToList();
            var previous = await ReadStoredAsync(traces, delta.EarliestStartUnixNano, cancellationToken).ConfigureAwait(false);
            var next = delta.Rows.Select(StoredInvocation.Of).ToList();

            await InsertInvocationsAsync(delta.Rows, Gone(previous, next, i => i.InvocationKey), version, cancellationToken).ConfigureAwait(false);
            await InsertIdsAsync(next, Gone(previous, next, i => i.IdKey), version, cancellationToken).ConfigureAwait(false);
            await InsertIssueIndexAsync(delta.Rows, previous, version, cancellationToken).ConfigureAwait(false);
            await InsertIndexAsync(AnalysisSchema.RecordKeyIndex, "record_key", previous, next, i => i.RecordKeys, version, cancellationToken).ConfigureAwait(false);
            await InsertIndexAsync(AnalysisSchema.SkippedShardIndex, "shard", previous, next, i => i.SkippedShards, version, cancellationToken).ConfigureAwait(false);
            await MinuteRollup.WriteAsync(_client, previous.Concat(next).Select(i => (i.Function, i.Minute)), version, _log.VisibleFilter, cancellationToken)
                .ConfigureAwait(false);
            await _log.CompleteAsync(version, Math.Max(_log.Watermark, delta.Watermark), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static List<StoredInvocation> Gone<TKey>(IEnumerable<StoredInvocation> previous, IEnumerable<StoredInvocation> next, Func<StoredInvocation, TKey> key)
    {
        // A key put again must not also get a tombstone: both would carry this write's version, and either could win.
        var kept = next.Select(key).ToHashSet();
        return [.. previous.Where(p => !kept.Contains(key(p)))];
    }

    /// <summary>The invocations stored for the traces (none started before <paramref name="earliestUnixNano"/>, as the delta promises).</summary>
    private async Task<List<StoredInvocation>> ReadStoredAsync(IReadOnlyList<UInt128> traces, long earliestUnixNano, CancellationToken cancellationToken)
    {
        var stored = new List<StoredInvocation>();
        foreach (var chunk in traces.Chunk(TracesPerQuery))
        {
            var ids = Visible(AnalysisSchema.InvocationIds, "trace_hi, trace_lo, span_id, start_time_unix_nano, function, issue_id, record_keys, skipped_shards",
                "trace_hi, trace_lo, span_id, start_time_unix_nano",
                $"(trace_hi, trace_lo) IN ({string.Join(", ", chunk.Select(LatestRows.TraceTuple))}) "
                + $"AND start_time_unix_nano >= {ClickHouseSql.Literal(earliestUnixNano)}");
            stored.AddRange(await QueryAsync($"SELECT trace_hi, trace_lo, span_id, start_time_unix_nano, function, issue_id, record_keys, skipped_shards FROM {ids}",
                row => new StoredInvocation(TraceIds.Of(row.GetUInt64(0), row.GetUInt64(1)), row.GetUInt64(2), row.GetString(4), row.GetInt64(3), row.GetString(5),
                    [.. row.GetStringArray(6).Select(k => k ?? "")], [.. row.GetStringArray(7).Select(s => s ?? "")]), cancellationToken).ConfigureAwait(false));
        }
        return stored;
    }

    private Task InsertInvocationsAsync(IReadOnlyList<AnalyzedInvocationRow> rows, IReadOnlyList<StoredInvocation> gone, ulong version, CancellationToken cancellationToken) =>
        _client.InsertAsync(AnalysisSchema.Invocations, InvocationRows.InsertColumns, writer =>
        {
            foreach (var row in rows)
                InvocationRows.WritePut(writer, row, version);
            foreach (var invocation in gone)
                InvocationRows.WriteTombstone(writer, invocation, version);
        }, cancellationToken);

    private Task InsertIdsAsync(IReadOnlyList<StoredInvocation> next, IReadOnlyList<StoredInvocation> gone, ulong version, CancellationToken cancellationToken) =>
        _client.InsertAsync(AnalysisSchema.InvocationIds, IdColumns, writer =>
        {
            foreach (var (invocation, deleted) in next.Select(i => (i, false)).Concat(gone.Select(i => (i, true))))
            {
                writer.UInt64(TraceIds.High(invocation.TraceId)).UInt64(TraceIds.Low(invocation.TraceId)).UInt64(invocation.SpanId)
                    .Int64(invocation.StartTimeUnixNano).UInt64(version).UInt8(deleted ? (byte)1 : (byte)0).String(deleted ? "" : invocation.Function)
                    .String(deleted ? "" : invocation.IssueId);
                WriteStrings(writer, deleted ? [] : invocation.RecordKeys);
                WriteStrings(writer, deleted ? [] : invocation.SkippedShards);
                writer.EndRow();
            }
        }, cancellationToken);

    /// <summary>The failed invocations by issue, with what the issue spans are summed from (function, cold start, failure).</summary>
    private Task InsertIssueIndexAsync(IReadOnlyList<AnalyzedInvocationRow> rows, IReadOnlyList<StoredInvocation> previous, ulong version, CancellationToken cancellationToken)
    {
        var puts = rows.Where(r => r.Failure is not null).ToList();
        var kept = puts.Select(r => (r.Failure!.IssueId, r.StartTimeUnixNano, r.TraceId, r.SpanId)).ToHashSet();
        var gone = previous.Where(p => p.IssueId.Length > 0 && !kept.Contains((p.IssueId, p.StartTimeUnixNano, p.TraceId, p.SpanId))).ToList();
        return _client.InsertAsync(AnalysisSchema.IssueIndex,
            ["issue_id", "start_time_unix_nano", "trace_hi", "trace_lo", "span_id", "version", "deleted", "function", "cold_start", "failure"], writer =>
            {
                foreach (var r in puts)
                {
                    writer.String(r.Failure!.IssueId).Int64(r.StartTimeUnixNano).UInt64(TraceIds.High(r.TraceId)).UInt64(TraceIds.Low(r.TraceId)).UInt64(r.SpanId)
                        .UInt64(version).UInt8(0).String(r.Function).UInt8(r.ColdStart ? (byte)1 : (byte)0).String(AnalysisJson.Write(r.Failure)).EndRow();
                }
                foreach (var p in gone)
                {
                    writer.String(p.IssueId).Int64(p.StartTimeUnixNano).UInt64(TraceIds.High(p.TraceId)).UInt64(TraceIds.Low(p.TraceId)).UInt64(p.SpanId)
                        .UInt64(version).UInt8(1).String("").UInt8(0).String("").EndRow();
                }
            }, cancellationToken);
    }

    /// <summary>An index of invocations by a value they carry (record keys, skipped shards): new entries put, entries gone tombstoned.</summary>
    private Task InsertIndexAsync(string table, string valueColumn, IReadOnlyList<StoredInvocation> previous, IReadOnlyList<StoredInvocation> next,
        Func<StoredInvocation, IEnumerable<string>> values, ulong version, CancellationToken cancellationToken)
    {
        var puts = next.SelectMany(i => i.IndexEntries(values(i))).ToList();
        var kept = puts.Select(e => e.Key).ToHashSet();
        var gone = previous.SelectMany(i => i.IndexEntries(values(i))).Where(e => !kept.Contains(e.Key)).ToList();
        return _client.InsertAsync(table, [valueColumn, "start_time_unix_nano", "trace_hi", "trace_lo", "span_id", "version", "deleted", "function"], writer =>
        {
            foreach (var (entry, deleted) in puts.Select(e => (e, false)).Concat(gone.Select(e => (e, true))))
            {
                writer.String(entry.Value).Int64(entry.StartTimeUnixNano).UInt64(TraceIds.High(entry.TraceId)).UInt64(TraceIds.Low(entry.TraceId)).UInt64(entry.SpanId)
                    .UInt64(version).UInt8(deleted ? (byte)1 : (byte)0).String(deleted ? "" : entry.Function).EndRow();
            }
        }, cancellationToken);
    }

    private static void WriteStrings(RowBinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.ArrayLength(values.Count);
        foreach (var value in values)
            writer.String(value);
    }

    /// <summary>
    /// Deletes (mutations, waited for) every version of the invocations and index rows that started before the cutoff
    /// and of the minutes before the cutoff's minute; the minute holding the cutoff is summed again from what is left.
    /// </summary>
    public async Task<long> DeleteStartedBeforeAsync(long cutoffUnixNano, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var version = await _log.BeginAsync(cancellationToken).ConfigureAwait(false);
            var before = $"start_time_unix_nano < {ClickHouseSql.Literal(cutoffUnixNano)}";
            var deleted = long.Parse(await _client.ScalarAsync(
                $"SELECT count() FROM {Visible(AnalysisSchema.Invocations, InvocationRows.Key, InvocationRows.Key, before)}", cancellationToken).ConfigureAwait(false) ?? "0",
                System.Globalization.CultureInfo.InvariantCulture);
            // Every table's key holds the start (or the minute), which all versions of a key share: no older version of
            // a row is left behind to resurface.
            foreach (var table in new[] { AnalysisSchema.Invocations, AnalysisSchema.InvocationIds, AnalysisSchema.IssueIndex, AnalysisSchema.RecordKeyIndex,
                         AnalysisSchema.SkippedShardIndex })
                await ClickHouseMutation.DeleteAsync(_client, table, before, cancellationToken).ConfigureAwait(false);
            var cutMinute = MinuteTime.Of(cutoffUnixNano);
            var straddling = await QueryAsync(
                $"SELECT DISTINCT function FROM {Visible(AnalysisSchema.FunctionMinutes, "function, minute_unix_nano, has_release, release",
                    "function, minute_unix_nano, has_release, release", $"minute_unix_nano = {ClickHouseSql.Literal(cutMinute)}")}",
                row => row.GetString(0), cancellationToken).ConfigureAwait(false);
            await ClickHouseMutation.DeleteAsync(_client, AnalysisSchema.FunctionMinutes, $"minute_unix_nano < {ClickHouseSql.Literal(cutMinute)}", cancellationToken)
                .ConfigureAwait(false);
            await MinuteRollup.WriteAsync(_client, straddling.Select(f => (f, cutMinute)), version, _log.VisibleFilter, cancellationToken).ConfigureAwait(false);
            await _log.CompleteAsync(version, null, cancellationToken).ConfigureAwait(false);
            return deleted;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
