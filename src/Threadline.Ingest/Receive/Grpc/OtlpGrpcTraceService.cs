using Grpc.Core;
using Threadline.Ingest.Protocol.Collector.Trace;

namespace Threadline.Ingest.Receive.Grpc;

/// <summary>The OTLP/gRPC trace endpoint: a thin adapter over <see cref="OtlpIngestService"/>.</summary>
public sealed class OtlpGrpcTraceService(OtlpIngestService ingest, QueuedBytesBudget budget)
{
    private static readonly ExportTraceServiceResponse Success = new();

    public async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        await GrpcErrors.Translate(budget, request.CalculateSize(), () => ingest.ExportTracesAsync(request, context.CancellationToken)).ConfigureAwait(false);
        return Success;
    }
}
