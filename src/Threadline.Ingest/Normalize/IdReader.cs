using Google.Protobuf;
using Threadline.Ingest.Decode;
using Threadline.Telemetry;

namespace Threadline.Ingest.Normalize;

/// <summary>Reads and validates the binary ids of OTLP messages; a bad id rejects the whole request.</summary>
internal static class IdReader
{
    public static UInt128 RequiredTraceId(ByteString bytes, string location)
    {
        if (bytes.Length != 16)
            throw new OtlpFormatException($"{location}: traceId must be 16 bytes, got {bytes.Length}.");
        var id = TelemetryIds.ReadTraceId(bytes.Span);
        if (id == UInt128.Zero)
            throw new OtlpFormatException($"{location}: traceId must not be all zeros.");
        return id;
    }

    public static ulong RequiredSpanId(ByteString bytes, string location)
    {
        if (bytes.Length != 8)
            throw new OtlpFormatException($"{location}: spanId must be 8 bytes, got {bytes.Length}.");
        var id = TelemetryIds.ReadSpanId(bytes.Span);
        if (id == 0)
            throw new OtlpFormatException($"{location}: spanId must not be all zeros.");
        return id;
    }

    /// <summary>An id that may be absent (empty), as a parent span id or a log record's ids are.</summary>
    public static UInt128 OptionalTraceId(ByteString bytes, string location) =>
        bytes.Length == 0 ? UInt128.Zero : bytes.Length == 16
            ? TelemetryIds.ReadTraceId(bytes.Span)
            : throw new OtlpFormatException($"{location}: traceId must be empty or 16 bytes, got {bytes.Length}.");

    public static ulong OptionalSpanId(ByteString bytes, string location, string field = "spanId") =>
        bytes.Length == 0 ? 0 : bytes.Length == 8
            ? TelemetryIds.ReadSpanId(bytes.Span)
            : throw new OtlpFormatException($"{location}: {field} must be empty or 8 bytes, got {bytes.Length}.");
}
