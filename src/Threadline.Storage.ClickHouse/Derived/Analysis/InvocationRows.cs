using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>The rows of <c>analysis_invocations</c>: written in RowBinary (puts and tombstones), read back from text.</summary>
internal static class InvocationRows
{
    public static readonly IReadOnlyList<string> InsertColumns =
    [
        "function", "start_time_unix_nano", "trace_hi", "trace_lo", "span_id", "version", "deleted",
        "is_lambda", "code_version", "code_hash", "release", "end_time_unix_nano", "minute_unix_nano", "duration_bucket",
        "failed", "issue_id", "failure", "records", "record_of_span", "skipped_ranges", "dropped_keys",
        "cold_start", "trigger_kind", "trigger_resource", "user_id", "vip_marker", "cost_usd", "gb_seconds",
    ];

    /// <summary>The columns an outer query reads from <see cref="StoredColumns"/> for <see cref="Read"/>, in its order.</summary>
    public const string SelectColumns =
        "trace_hi, trace_lo, span_id, function, is_lambda, code_version, code_hash, release, start_time_unix_nano, end_time_unix_nano, failed, "
        + "failure, records, record_of_span, skipped_ranges, dropped_keys, cold_start, trigger_kind, trigger_resource, user_id, vip_marker, "
        + "toString(cost_usd) AS cost, gb_seconds";

    public const string StoredColumns =
        "trace_hi, trace_lo, span_id, function, is_lambda, code_version, code_hash, release, start_time_unix_nano, end_time_unix_nano, failed, "
        + "failure, records, record_of_span, skipped_ranges, dropped_keys, cold_start, trigger_kind, trigger_resource, user_id, vip_marker, "
        + "cost_usd, gb_seconds";

    /// <summary>The sorting key: the identity of a row for the latest-version reads.</summary>
    public const string Key = "function, start_time_unix_nano, trace_hi, trace_lo, span_id";

    public const string Order = "start_time_unix_nano, trace_hi, trace_lo, span_id";

    public static void WritePut(RowBinaryWriter writer, AnalyzedInvocationRow r, ulong version)
    {
        writer.String(r.Function).Int64(r.StartTimeUnixNano).UInt64(TraceIds.High(r.TraceId)).UInt64(TraceIds.Low(r.TraceId)).UInt64(r.SpanId)
            .UInt64(version).UInt8(0)
            .UInt8(Flag(r.IsLambda)).NullableString(r.Version).NullableString(r.CodeHash).NullableString(r.Release)
            .Int64(r.EndTimeUnixNano).Int64(MinuteTime.Of(r.StartTimeUnixNano)).UInt32((uint)DurationHistogram.BucketOf(r.EndTimeUnixNano - r.StartTimeUnixNano))
            .UInt8(Flag(r.Failed)).String(r.Failure?.IssueId ?? "").NullableString(r.Failure is null ? null : AnalysisJson.Write(r.Failure))
            .String(AnalysisJson.Write(r.Records)).String(AnalysisJson.Write(r.RecordOfSpan)).String(AnalysisJson.Write(r.SkippedRanges))
            .String(AnalysisJson.Write(r.DroppedKeys))
            .UInt8(Flag(r.ColdStart)).NullableString(r.TriggerKind).NullableString(r.TriggerResource).NullableString(r.User).UInt8(Flag(r.VipMarker))
            .Decimal128(CostDecimal.Scaled(r.CostUsd)).Float64(r.GbSeconds)
            .EndRow();
    }

    /// <summary>A tombstone: the key, the version, deleted = 1 and every other column empty.</summary>
    public static void WriteTombstone(RowBinaryWriter writer, StoredInvocation gone, ulong version)
    {
        writer.String(gone.Function).Int64(gone.StartTimeUnixNano).UInt64(TraceIds.High(gone.TraceId)).UInt64(TraceIds.Low(gone.TraceId)).UInt64(gone.SpanId)
            .UInt64(version).UInt8(1)
            .UInt8(0).NullableString(null).NullableString(null).NullableString(null)
            .Int64(0).Int64(0).UInt32(0)
            .UInt8(0).String("").NullableString(null)
            .String("").String("").String("").String("")
            .UInt8(0).NullableString(null).NullableString(null).NullableString(null).UInt8(0)
            .Decimal128(0).Float64(0)
            .EndRow();
    }

    public static AnalyzedInvocationRow Read(TabSeparatedReader row) => new()
    {
        TraceId = TraceIds.Of(row.GetUInt64(0), row.GetUInt64(1)),
        SpanId = row.GetUInt64(2),
        Function = row.GetString(3),
        IsLambda = row.GetByte(4) != 0,
        Version = row.GetNullableString(5),
        CodeHash = row.GetNullableString(6),
        Release = row.GetNullableString(7),
        StartTimeUnixNano = row.GetInt64(8),
        EndTimeUnixNano = row.GetInt64(9),
        Failed = row.GetByte(10) != 0,
        Failure = AnalysisJson.ReadFailure(row.GetNullableString(11)),
        Records = AnalysisJson.Read<List<RecordDeliveryRow>>(row.GetString(12)),
        RecordOfSpan = AnalysisJson.Read<List<SpanRecordKey>>(row.GetString(13)),
        SkippedRanges = AnalysisJson.Read<List<SkippedRangeRow>>(row.GetString(14)),
        DroppedKeys = AnalysisJson.Read<List<string>>(row.GetString(15)),
        ColdStart = row.GetByte(16) != 0,
        TriggerKind = row.GetNullableString(17),
        TriggerResource = row.GetNullableString(18),
        User = row.GetNullableString(19),
        VipMarker = row.GetByte(20) != 0,
        CostUsd = CostDecimal.Parse(row.GetString(21)),
        GbSeconds = row.GetDouble(22),
    };

    private static byte Flag(bool value) => value ? (byte)1 : (byte)0;
}
