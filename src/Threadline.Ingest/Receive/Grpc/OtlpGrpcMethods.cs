using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using Threadline.Ingest.Protocol.Collector.Logs;
using Threadline.Ingest.Protocol.Collector.Trace;

namespace Threadline.Ingest.Receive.Grpc;

/// <summary>
/// The OTLP gRPC methods, bound with our own marshallers instead of the generated ones: the generated
/// marshaller lets a malformed message surface as UNKNOWN, while OTLP exporters must see INVALID_ARGUMENT
/// (not retryable) with the reason.
/// </summary>
internal static class OtlpGrpcMethods
{
    public static readonly Method<ExportTraceServiceRequest, ExportTraceServiceResponse> ExportTraces = new(
        MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export",
        RequestMarshaller(ExportTraceServiceRequest.Parser), ResponseMarshaller<ExportTraceServiceResponse>());

    public static readonly Method<ExportLogsServiceRequest, ExportLogsServiceResponse> ExportLogs = new(
        MethodType.Unary, "opentelemetry.proto.collector.logs.v1.LogsService", "Export",
        RequestMarshaller(ExportLogsServiceRequest.Parser), ResponseMarshaller<ExportLogsServiceResponse>());

    private static Marshaller<T> RequestMarshaller<T>(MessageParser<T> parser)
        where T : IMessage<T> => new(
            (message, context) => Serialize(message, context),
            context =>
            {
                try
                {
                    return parser.ParseFrom(context.PayloadAsReadOnlySequence());
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"The message is not a valid OTLP protobuf {typeof(T).Name}: {e.Message}"));
                }
            });

    private static Marshaller<T> ResponseMarshaller<T>()
        where T : IMessage<T>, new() => new(
            (message, context) => Serialize(message, context),
            _ => throw new NotSupportedException("The server never reads responses."));

    private static void Serialize<T>(T message, SerializationContext context)
        where T : IMessage<T>
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
