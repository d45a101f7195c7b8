using Grpc.Core;

namespace Threadline.Reliability.Tests;

/// <summary>The OTLP trace export method with raw bytes both ways, so a test sends exactly the bytes it built.</summary>
internal static class RawGrpc
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create<byte[]>(b => b, b => b);

    public static readonly Method<byte[], byte[]> ExportTraces =
        new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Raw, Raw);
}
