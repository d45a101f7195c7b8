using Google.Protobuf;
using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Ingest.Protocol.Collector.Trace;

namespace Threadline.Ingest.Decode;

/// <summary>Decodes OTLP export request bodies in either encoding into the generated protobuf messages.</summary>
public static class OtlpDecoder
{
    public static ExportTraceServiceRequest DecodeTraces(ReadOnlyMemory<byte> body, OtlpEncoding encoding) =>
        Decode(body, encoding, ExportTraceServiceRequest.Parser);

    public static ExportLogsServiceRequest DecodeLogs(ReadOnlyMemory<byte> body, OtlpEncoding encoding) =>
        Decode(body, encoding, ExportLogsServiceRequest.Parser);

    private static T Decode<T>(ReadOnlyMemory<byte> body, OtlpEncoding encoding, MessageParser<T> parser)
        where T : IMessage<T>, new()
    {
        if (encoding == OtlpEncoding.Json)
            return OtlpJson.Parse<T>(body.Span);

        try
        {
            return parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OtlpFormatException($"The body is not a valid OTLP protobuf {typeof(T).Name}: {e.Message}", e);
        }
    }
}
