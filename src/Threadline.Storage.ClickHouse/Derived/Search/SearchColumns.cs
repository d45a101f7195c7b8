using Threadline.Query.Fields;

namespace Threadline.Storage.ClickHouse.Derived.Search;

/// <summary>The columns of <c>search_invocations</c> (Sql/search.sql) that fields are read from, and the key.</summary>
internal static class SearchColumns
{
    /// <summary>The key of search_invocations and search_texts: a row is the latest visible version of it.</summary>
    public const string Key = "start_time, trace_hi, trace_lo, span_id";

    /// <summary>What SearchAsync returns of a row, in the order <see cref="SearchRowReader"/> reads them.</summary>
    public const string Row = "trace_hi, trace_lo, span_id, start_time, duration, function, entry, trigger_kind, trigger_resource, failed, "
        + "error_type, error_message, cold, function_version, user_name, vip, request_id";

    /// <summary>The status as the evaluator sees it.</summary>
    public const string StatusText = "if(failed = 1, 'error', 'ok')";

    /// <summary>The trace id in 32 lower-case hex digits: hex() of an integer drops leading zero bytes, so it is
    /// padded to 16 digits per half.</summary>
    public const string TraceHex =
        "concat(substring(concat('0000000000000000', lower(hex(trace_hi))), length(lower(hex(trace_hi))) + 1, 16), "
        + "substring(concat('0000000000000000', lower(hex(trace_lo))), length(lower(hex(trace_lo))) + 1, 16))";

    /// <summary>The column of a string field.</summary>
    public static string Of(FieldDefinition field) => field.Name switch
    {
        "function" => "function",
        "entry" => "entry",
        "trigger" => "trigger_kind",
        "error" => "error_type",
        "message" => "error_message",
        "version" => "function_version",
        "user" => "user_name",
        "request" => "request_id",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field.Name, "no column for the field"),
    };
}
