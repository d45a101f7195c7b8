using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Google.Protobuf;
using Threadline.Ingest.Normalize.XRay;
using Threadline.Ingest.Protocol.Collector.Trace;

namespace Threadline.Ingest.Decode;

/// <summary>
/// One datagram of the X-Ray daemon protocol: the header line <c>{"format":"json","version":1}</c>, a newline, then
/// either one segment document (the X-Ray SDKs) or <c>T1S</c> / <c>T1U</c> (sampled / unsampled) and a base64
/// OTLP protobuf <c>ExportTraceServiceRequest</c> (ADOT's OTLP-over-UDP exporters in Lambda).
/// </summary>
public static class XRayDatagram
{
    /// <summary>The largest datagram the daemon protocol allows (the SDKs and ADOT stay under it).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <exception cref="OtlpFormatException">Not a daemon datagram, or its content does not decode: the message says why.</exception>
    public static XRayDatagramContent Decode(ReadOnlySpan<byte> datagram)
    {
        var newline = datagram.IndexOf((byte)'\n');
        if (newline < 0)
            throw new OtlpFormatException("The datagram has no header line: X-Ray daemon datagrams start with {\"format\":\"json\",\"version\":1} and a newline.");
        CheckHeader(datagram[..newline]);
        var body = datagram[(newline + 1)..];
        if (body.Length >= 3 && body[0] == (byte)'T' && body[1] == (byte)'1' && (body[2] == (byte)'S' || body[2] == (byte)'U'))
            return new XRayDatagramContent(null, DecodeOtlp(body[3..]), Sampled: body[2] == (byte)'S');

        using var document = JsonBody.Parse(body.ToArray(), "The segment document");
        return new XRayDatagramContent(JsonBody.Read(() => XRaySegmentTranslator.Translate(document.RootElement), "The segment document"), null, Sampled: true);
    }

    private static void CheckHeader(ReadOnlySpan<byte> header)
    {
        try
        {
            var reader = new Utf8JsonReader(header);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() == "json"
                && root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.GetRawText() == "1")
                return;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
        }
        throw new OtlpFormatException("The header line is not {\"format\":\"json\",\"version\":1}.");
    }

    private static ExportTraceServiceRequest DecodeOtlp(ReadOnlySpan<byte> base64)
    {
        var trimmed = base64.TrimEnd("\r\n"u8);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(trimmed.Length));
        try
        {
            var status = Base64.DecodeFromUtf8(trimmed, buffer, out _, out var written);
            if (status != OperationStatus.Done)
                throw new OtlpFormatException($"The T1S/T1U payload is not valid base64 ({status}).");
            return ExportTraceServiceRequest.Parser.ParseFrom(buffer.AsSpan(0, written));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OtlpFormatException($"The T1S/T1U payload is not an OTLP protobuf ExportTraceServiceRequest: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>What a datagram carried: an X-Ray segment document, or an OTLP request (<see cref="Sampled"/>: T1S rather than T1U).</summary>
public sealed record XRayDatagramContent(XRayDocument? Segment, ExportTraceServiceRequest? Otlp, bool Sampled);
