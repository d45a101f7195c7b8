using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Search;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>Reads the columns of <see cref="SearchColumns.Row"/> (fields 0 to <see cref="FieldCount"/> - 1) into a row without attributes, message ids and texts.</summary>
internal static class SearchRowReader
{
    public const int FieldCount = 17;

    public static SearchInvocationRow Read(TabSeparatedReader reader) => new()
    {
        TraceId = new UInt128(reader.GetUInt64(0), reader.GetUInt64(1)),
        SpanId = reader.GetUInt64(2),
        StartTimeUnixNano = reader.GetInt64(3),
        DurationNanos = reader.GetInt64(4),
        Function = reader.GetString(5),
        Entry = reader.GetNullableString(6),
        TriggerKind = reader.GetNullableString(7),
        TriggerResource = reader.GetNullableString(8),
        Failed = reader.GetByte(9) == 1,
        ErrorType = reader.GetNullableString(10),
        ErrorMessage = reader.GetNullableString(11),
        ColdStart = reader.GetByte(12) == 1,
        Version = reader.GetNullableString(13),
        User = reader.GetNullableString(14),
        Vip = reader.GetByte(15) == 1,
        RequestId = reader.GetNullableString(16),
    };
}
