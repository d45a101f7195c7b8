using Grpc.Core;
using Threadline.Ingest.Protocol.Collector.Trace;

namespace Threadline.Ingest.Receive.Grpc;

/// <summary>The OTLP/gRPC trace endpoint: a thin adapter over <see cref="OtlpIngestService"/>.</summary>
public sealed class OtlpGrpcTraceService(OtlpIngestService ingest)
{
    private static readonly ExportTraceServiceResponse Success = new();

    public async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        await GrpcErrors.Translate(() => ingest.ExportTracesAsync(request, context.CancellationToken)).ConfigureAwait(false);
        return Success;
    }
}
