using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Threadline.Telemetry;

namespace Threadline.Ingest.Normalize.Lumigo;

/// <summary>
/// Lumigo's ids mapped to OpenTelemetry's. Span ids are request ids and UUIDs, so a span id is the first 8 bytes of
/// SHA-256 over the id (the function span's id is the request id its http spans name as parent). The trace id is the
/// X-Ray root (<c>1-{8 hex}-{24 hex}</c>), as OpenTelemetry's X-Ray propagator spells it.
/// </summary>
internal static class LumigoIds
{
    public const string StartedSuffix = "_started";

    public static ulong SpanId(string id)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        var spanId = BinaryPrimitives.ReadUInt64BigEndian(hash);
        return spanId == 0 ? 1 : spanId;
    }

    public static UInt128 TraceId(string? xrayRoot, string? transactionId, string fallback)
    {
        if (xrayRoot is { Length: 35 } && xrayRoot.StartsWith("1-", StringComparison.Ordinal) && xrayRoot[10] == '-'
            && TelemetryIds.TryParseTraceId(string.Concat(xrayRoot.AsSpan(2, 8), xrayRoot.AsSpan(11, 24)), out var fromRoot))
            return fromRoot;
        if (transactionId is { Length: 24 } && TelemetryIds.TryParseTraceId("00000000" + transactionId, out var fromTransaction))
            return fromTransaction;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(transactionId ?? fallback), hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash) | 1;
    }

    public static long UnixMsToNanos(long ms) => ms is > 0 and < long.MaxValue / 1_000_000 ? ms * 1_000_000 : 0;

    public static string Hex(ulong value) => value.ToString("x16", CultureInfo.InvariantCulture);
}
