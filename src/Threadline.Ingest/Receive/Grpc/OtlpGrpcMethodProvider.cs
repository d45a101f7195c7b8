using Grpc.AspNetCore.Server.Model;

namespace Threadline.Ingest.Receive.Grpc;

/// <summary>Binds the OTLP gRPC services to <see cref="OtlpGrpcMethods"/> (our marshallers) for Grpc.AspNetCore.</summary>
internal sealed class OtlpGrpcMethodProvider : IServiceMethodProvider<OtlpGrpcTraceService>, IServiceMethodProvider<OtlpGrpcLogsService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<OtlpGrpcTraceService> context) =>
        context.AddUnaryMethod(OtlpGrpcMethods.ExportTraces, [], (service, request, call) => service.Export(request, call));

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<OtlpGrpcLogsService> context) =>
        context.AddUnaryMethod(OtlpGrpcMethods.ExportLogs, [], (service, request, call) => service.Export(request, call));
}
