using Grpc.Core;
using Threadline.Ingest.Protocol.Collector.Logs;

namespace Threadline.Ingest.Receive.Grpc;

/// <summary>The OTLP/gRPC logs endpoint: a thin adapter over <see cref="OtlpIngestService"/>.</summary>
public sealed class OtlpGrpcLogsService(OtlpIngestService ingest, QueuedBytesBudget budget)
{
    private static readonly ExportLogsServiceResponse Success = new();

    public async Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        await GrpcErrors.Translate(budget, request.CalculateSize(), () => ingest.ExportLogsAsync(request, context.CancellationToken)).ConfigureAwait(false);
        return Success;
    }
}
