using System.Buffers.Binary;
using System.Globalization;

namespace Threadline.Telemetry;

/// <summary>Conversions between the binary trace/span ids and their lowercase hex spelling.</summary>
public static class TelemetryIds
{
    public static string FormatTraceId(UInt128 traceId) => traceId.ToString("x32", CultureInfo.InvariantCulture);

    public static string FormatSpanId(ulong spanId) => spanId.ToString("x16", CultureInfo.InvariantCulture);

    public static bool TryParseTraceId(ReadOnlySpan<char> hex, out UInt128 traceId)
    {
        traceId = default;
        return hex.Length == 32 && IsHex(hex)
            && UInt128.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out traceId);
    }

    public static bool TryParseSpanId(ReadOnlySpan<char> hex, out ulong spanId)
    {
        spanId = default;
        return hex.Length == 16 && IsHex(hex)
            && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out spanId);
    }

    /// <summary>Reads a 16-byte big-endian trace id, as OTLP carries it.</summary>
    public static UInt128 ReadTraceId(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt128BigEndian(bytes);

    /// <summary>Reads an 8-byte big-endian span id, as OTLP carries it.</summary>
    public static ulong ReadSpanId(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt64BigEndian(bytes);

    public static byte[] TraceIdBytes(UInt128 traceId)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, traceId);
        return bytes;
    }

    public static byte[] SpanIdBytes(ulong spanId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, spanId);
        return bytes;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }
}
